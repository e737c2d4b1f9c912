// Faults on demand: API requests that fail, stall or drop, as a test asks.
import t from 'tap'
import Cloudflare from 'cloudflare'
import { build, meeting, tmpDb, testKeys } from './helpers.js'
import { createServer } from '../src/server.js'

t.test('a fault fails matching requests in the envelope, then stops after `times`', async (t) => {
  const s = await build(t)
  const made = await s.call('POST', '/_mock/faults', { method: 'POST', path: '/v2/meetings', status: 503, message: 'try later', times: 2 })
  t.equal(made.status, 201)
  t.match(made.json.data, { method: 'POST', path: '/v2/meetings', status: 503, times: 2, remaining: 2, skipping: 0, hits: 0 })
  const id = made.json.data.id
  for (let i = 0; i < 2; i++) {
    const r = await s.call('POST', '/v2/meetings', { title: 'x' })
    t.equal(r.status, 503)
    t.same(r.json, { success: false, error: { code: 503, message: 'try later' } })
    t.equal(r.headers['x-dyte-mock-fault'], id)
    t.notOk(r.headers['retry-after'], 'a 503 has no retry-after unless asked')
  }
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'other methods are not matched')
  t.equal((await s.call('POST', '/v2/meetings', { title: 'x' })).status, 201, 'after two failures it is spent')
  t.equal((await s.call('GET', '/v2/meetings')).json.paging.total_count, 1, 'failed requests wrote nothing')
  const after = await s.call('GET', `/_mock/faults/${id}`)
  t.match(after.json.data, { remaining: 0, hits: 2 })
})

t.test('429 carries retry-after; skip lets requests through first; RealtimeKit paths are matched too', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  await s.call('POST', '/_mock/faults', { path: '*/meetings/*', status: 429, skip: 1, times: 1 })
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).status, 200, 'the first match is skipped')
  const limited = await s.app.inject({ url: `/accounts/acc/realtime/kit/org-a/meetings/${m.id}`, headers: { authorization: 'Bearer k' } })
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '1')
  t.equal(limited.json().error.message, 'Too Many Requests')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).status, 200)
  await s.call('POST', '/_mock/faults', { operation_id: 'getMeeting', status: 500, retry_after_s: 7 })
  const failed = await s.call('GET', `/v2/meetings/${m.id}`)
  t.equal(failed.status, 500)
  t.equal(failed.headers['retry-after'], '7')
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'other operations are not matched')
  const viaRtk = await s.app.inject({ url: `/client/v4/accounts/acc/realtime/kit/org-a/meetings/${m.id}`, headers: { authorization: 'Bearer k' } })
  t.equal(viaRtk.statusCode, 500, 'a RealtimeKit request matches the Dyte operation it answers as')
})

t.test('the oldest applicable fault wins; 409 says not to retry; delete and clear remove faults', async (t) => {
  const s = await build(t)
  const a = (await s.call('POST', '/_mock/faults', { path: '/v2/meetings', status: 409 })).json.data
  const b = (await s.call('POST', '/_mock/faults', { path: '/v2/*', status: 502 })).json.data
  const r = await s.call('GET', '/v2/meetings')
  t.equal(r.status, 409)
  t.equal(r.headers['x-should-retry'], 'false')
  t.equal((await s.call('DELETE', `/_mock/faults/${a.id}`)).json.data.id, a.id)
  t.equal((await s.call('GET', '/v2/meetings')).status, 502)
  t.same((await s.call('GET', '/_mock/faults')).json.data.map((f: any) => f.id), [b.id])
  t.equal((await s.call('DELETE', '/_mock/faults')).status, 200)
  t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  t.equal((await s.call('DELETE', `/_mock/faults/${a.id}`)).status, 404)
  t.equal((await s.call('GET', `/_mock/faults/${a.id}`)).status, 404)
})

t.test('bad fault definitions are refused, naming the field', async (t) => {
  const s = await build(t)
  const cases: [unknown, RegExp][] = [
    [{ path: '/v2/meetings' }, /at least one of: status, delay_ms, reset/],
    [{ status: 200 }, /body\/status must be >= 400/],
    [{ status: 500, reset: true }, /cannot both be given/],
    [{ status: 500, operation_id: 'noSuchOperation' }, /body\/operation_id names no operation.*noSuchOperation/],
    [{ status: 500, path: 'v2' }, /body\/path must match pattern "\^\[\/\*\]"/],
    [{ status: 500, method: 'TRACE' }, /body\/method must be one of/],
    [{ status: 500, times: 0 }, /body\/times must be >= 1/],
  ]
  for (const [body, message] of cases) {
    const r = await s.call('POST', '/_mock/faults', body)
    t.equal(r.status, 400, JSON.stringify(body))
    t.match(r.json.error.message, message)
  }
  t.same((await s.call('GET', '/_mock/faults')).json.data, [])
})

t.test('faults belong to one org, never touch the control plane, and go with a reset', async (t) => {
  const s = await build(t)
  await s.call('POST', '/_mock/faults', { status: 500 })
  t.equal((await s.call('GET', '/v2/meetings')).status, 500)
  t.equal((await s.call('GET', '/v2/meetings', undefined, 'org-b')).status, 200, 'another org is untouched')
  t.equal((await s.call('GET', '/_mock/clock')).status, 200, 'the control plane is untouched')
  t.equal((await s.call('GET', '/health')).status, 200)
  await s.call('POST', '/_mock/reset')
  t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  t.same((await s.call('GET', '/_mock/faults')).json.data, [])
})

t.test('delay_ms alone slows requests that then succeed; reset drops the connection', async (t) => {
  const s = await build(t)
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' })
  await s.call('POST', '/_mock/faults', { method: 'GET', delay_ms: 300, times: 1 })
  const started = Date.now()
  t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  t.ok(Date.now() - started >= 290, 'the answer waited for the delay')
  await s.call('POST', '/_mock/faults', { method: 'GET', reset: true, times: 1 })
  const dropped = await fetch(`${address}/v2/meetings`, { headers: { authorization: 'Basic ' + Buffer.from('org-a:k').toString('base64') } }).catch((e: Error) => e)
  t.ok(dropped instanceof Error, 'the client sees a network error')
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'the next request is answered')
  t.match((await s.call('GET', '/_mock/faults')).json.data, [{ hits: 1 }, { hits: 1, reset: true }])
})

t.test('faults and their counts survive a restart', async (t) => {
  const dbPath = tmpDb(t)
  const opts = { dbPath, logLevel: 'silent', signingKeys: testKeys() }
  const headers = { authorization: 'Basic ' + Buffer.from('org-a:k').toString('base64') }
  let app = await createServer(opts)
  await app.inject({ method: 'POST', url: '/_mock/faults', headers, payload: { status: 500, times: 2 } })
  t.equal((await app.inject({ url: '/v2/meetings', headers })).statusCode, 500)
  await app.close()
  app = await createServer(opts)
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/v2/meetings', headers })).statusCode, 500, 'the second of two')
  t.equal((await app.inject({ url: '/v2/meetings', headers })).statusCode, 200)
})

t.test('the cloudflare SDK retries a 429 after retry-after and does not retry a 409', async (t) => {
  const s = await build(t)
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' })
  const client = new Cloudflare({ apiToken: 'k', baseURL: `${address}/client/v4`, maxRetries: 2 })
  const rk = client.realtimeKit
  await s.call('POST', '/_mock/faults', { method: 'POST', path: '*/meetings', status: 429, retry_after_s: 0, times: 1 })
  const m = await rk.meetings.create('org-a', { account_id: 'acc', title: 'after a retry' })
  t.equal(m.data!.title, 'after a retry')
  await s.call('POST', '/_mock/faults', { method: 'POST', path: '*/meetings', status: 409, times: 3 })
  const err = await rk.meetings.create('org-a', { account_id: 'acc', title: 'conflict' }).catch((e: unknown) => e)
  t.ok(err instanceof Cloudflare.ConflictError)
  const faults = (await s.call('GET', '/_mock/faults')).json.data
  t.match(faults, [{ status: 429, hits: 1 }, { status: 409, hits: 1, remaining: 2 }], 'one attempt each: the 429 was retried once, the 409 never')
  t.equal((await s.call('GET', '/v2/meetings')).json.paging.total_count, 1)
})
