// dyte-mock/client and startDyteMock against a real server on a socket: each helper is checked by
// what it does to the org (the clock's time in events, sessions joined and left, deliveries that
// arrived, faults that fail /v2 calls) and by the errors it throws.
import t, { type Test } from 'tap'
import { startDyteMock, type StartOptions } from '../src/server.js'
import { DyteMockClient, DyteMockError, unwrap } from '../src/client/index.js'
import type { Violation } from '../src/plugins/response-check.js'
import type { Send } from '../src/simulate/send.js'
import { testKeys } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'

/** A started server whose every answer is checked against the spec; closed when the test ends. */
async function start (t: Test, options: StartOptions = {}) {
  const violations: Violation[] = []
  const mock = await startDyteMock({ signingKeys: testKeys(), onSpecViolation: (v) => violations.push(v), ...options })
  t.teardown(async () => {
    await mock.close()
    if (violations.length) throw new Error(`responses did not match the spec: ${JSON.stringify(violations)}`)
  })
  return mock
}

/** A call to the org's Dyte API, as the app under test makes them. */
async function dyte (client: DyteMockClient, method: string, path: string, body?: unknown) {
  const res = await fetch(`${client.baseUrl}/v2${path}`, {
    method,
    headers: { authorization: client.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() as any }
}

/** A meeting with one host participant. */
async function meetingWithHost (client: DyteMockClient) {
  const meeting = await dyte(client, 'POST', '/meetings', { title: 'Standup' })
  const host = await dyte(client, 'POST', `/meetings/${meeting.json.data.id}/participants`,
    { name: 'Jane', preset_name: 'group_call_host', custom_participant_id: 'jane' })
  return { meetingId: meeting.json.data.id as string, token: host.json.data.token as string }
}

t.test('startDyteMock: a server on a free port of 127.0.0.1 and a client for a fresh org', async (t) => {
  const a = await start(t)
  const b = await start(t)
  t.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(a.url, b.url, 'each call listens on a port of its own')
  t.equal((await fetch(`${a.url}/health`)).status, 200, '/health answers')
  t.not(a.client.orgId, b.client.orgId, 'each call drives a new org')
  t.equal(a.client.baseUrl, a.url)

  // Two orgs of one server do not see each other.
  const other = a.clientFor()
  t.not(other.orgId, a.client.orgId)
  await a.client.clock.freeze(T0)
  t.same(await a.client.clock.get(), { now: T0, frozen: true }, 'the org of the client is frozen')
  t.equal((await other.clock.get()).frozen, false, 'another org of the same server is not')

  const named = await start(t, { orgId: 'team-a', apiKey: 'secret' })
  t.equal(named.client.orgId, 'team-a')
  t.equal(named.client.authorization, 'Basic ' + Buffer.from('team-a:secret').toString('base64'))
})

t.test('startDyteMock: with orgs configured the client uses the first org and its key; close stops the server', async (t) => {
  const mock = await startDyteMock({ signingKeys: testKeys(), orgs: 'alpha:k1,beta:k2' })
  t.equal(mock.client.orgId, 'alpha')
  t.same(await mock.client.clock.get().then((c) => typeof c.now), 'string', 'alpha:k1 is accepted')
  t.equal((await mock.clientFor('beta').settings.get()).recording_start_delay_s, 2, 'clientFor takes the key configured for beta')
  const stranger = mock.clientFor('gamma', 'nope')
  await t.rejects(stranger.clock.get(), { name: 'DyteMockError', status: 401 }, 'an org that is not configured is refused')
  await mock.close()
  await t.rejects(fetch(`${mock.url}/health`), 'nothing listens after close')
})

t.test('client.clock: freeze, advance and unfreeze move the time stamped on events', async (t) => {
  const { client } = await start(t)
  t.same(await client.clock.freeze(new Date(T0)), { now: T0, frozen: true }, 'freeze answers the clock (a Date is accepted)')
  const { meetingId, token } = await meetingWithHost(client)
  const joined = await client.join(token)
  t.equal(joined.meeting_id, meetingId, 'join answers the session joined')

  const advanced = await client.clock.advance(90)
  t.equal(advanced.now, '2030-01-01T00:01:30.000Z', 'advance moves the frozen clock by exactly that many seconds')
  t.same(await client.clock.get(), { now: '2030-01-01T00:01:30.000Z', frozen: true })

  const left = await client.leave(joined.session_id!, joined.peer_id!)
  t.ok(left, 'leave answers the session')
  const events = await client.events({ meeting_id: meetingId })
  t.same(events.map((e) => [e.type, e.at]), [
    ['meeting.started', T0],
    ['meeting.participantJoined', T0],
    ['meeting.participantLeft', '2030-01-01T00:01:30.000Z'],
    ['meeting.ended', '2030-01-01T00:01:30.000Z'],
  ], 'every event carries the org clock\'s time at its moment')
  t.same((await client.events({ type: 'meeting.ended' })).map((e) => e.type), ['meeting.ended'], 'events filters by its query')

  t.equal((await client.clock.unfreeze()).frozen, false, 'unfreeze lets the clock run')
  await client.clock.freeze()
  const now = (await client.clock.get()).now!
  t.ok(now >= '2030-01-01T00:01:30.000Z', 'freeze without a time stops the clock where it stands')
})

t.test('client.waitForDelivery: resolves once a real delivery reached the webhook\'s url', async (t) => {
  const { client, url } = await start(t)
  await client.clock.freeze(T0)
  const hook = (await dyte(client, 'POST', '/webhooks', { name: 'inbox', url: `${url}/_mock/inbox/client-test`, events: ['meeting.started'] })).json.data
  const { meetingId, token } = await meetingWithHost(client)
  const waiting = client.waitForDelivery({ event: 'meeting.started', timeoutMs: 10_000 })
  await client.join(token)
  const [delivery] = await waiting
  t.match(delivery, { event: 'meeting.started', status: 'succeeded', webhook_id: hook.id, meeting_id: meetingId })
  t.equal(delivery.attempts![0].status_code, 200, 'the inbox answered the attempt')
  const inbox = (await unwrap(client.api.GET('/inbox/{name}', { params: { path: { name: 'client-test' } } }))).data!
  t.equal(inbox.length, 1, 'the delivery arrived in the inbox')

  await t.rejects(client.waitForDelivery({ event: 'meeting.ended', meetingId, since: new Date(T0), count: 1, timeoutMs: 0 }),
    { name: 'DyteMockError', status: 408 }, 'no matching delivery within timeoutMs is a 408 DyteMockError')
})

t.test('client.waitForDelivery: resolves on a captured delivery (deliver option)', async (t) => {
  const sent: string[] = []
  const deliver: Send = async (url) => { sent.push(url); return new Response('ok') }
  const { client } = await start(t, { deliver })
  await dyte(client, 'POST', '/webhooks', { name: 'app', url: 'https://app.example/hooks', events: ['meeting.started'] })
  const { token } = await meetingWithHost(client)
  await client.join(token)
  const deliveries = await client.waitForDelivery({ event: 'meeting.started' })
  t.equal(deliveries.length, 1)
  t.same(sent, ['https://app.example/hooks'], 'the delivery went through the deliver function')
})

t.test('client.settings and client.faults: change the org\'s simulation, and fail its API calls', async (t) => {
  const { client } = await start(t)
  t.equal((await client.settings.update({ recording_start_delay_s: 7 })).recording_start_delay_s, 7)
  t.equal((await client.settings.get()).recording_start_delay_s, 7, 'the update is kept')

  const fault = await client.faults.add({ method: 'POST', path: '/v2/meetings', status: 503, times: 1 })
  t.match(fault, { status: 503, remaining: 1, skip: 0 })
  t.equal((await dyte(client, 'POST', '/meetings', { title: 'x' })).status, 503, 'the fault answers the next matching /v2 call')
  t.equal((await dyte(client, 'POST', '/meetings', { title: 'y' })).status, 201, 'and only that one (times: 1)')

  const second = await client.faults.add({ operation_id: 'getMeeting', status: 500 })
  t.same((await client.faults.list()).map((f) => f.id), [fault.id, second.id])
  await client.faults.remove(second.id!)
  t.same((await client.faults.list()).map((f) => f.id), [fault.id], 'remove deletes one fault')
  await client.faults.clear()
  t.same(await client.faults.list(), [], 'clear deletes them all')
})

t.test('client.reset: wipes the org\'s state', async (t) => {
  const { client } = await start(t)
  await client.clock.freeze(T0)
  const { token } = await meetingWithHost(client)
  await client.join(token)
  t.ok((await client.events()).length > 0)
  await client.reset()
  t.same(await client.events(), [], 'no events after reset')
  t.equal((await client.clock.get()).frozen, false, 'the clock runs again')
})

t.test('client errors: a non-2xx throws a DyteMockError with the status and Dyte\'s message', async (t) => {
  const { client } = await start(t)
  const err = await client.join('not-a-token').then(() => undefined, (e: unknown) => e)
  t.type(err, DyteMockError)
  t.type(err, Error)
  const e = err as DyteMockError
  t.equal(e.status, 401)
  t.match(e.body, { success: false, error: { code: 401 } }, 'the body is Dyte\'s envelope')
  t.match(e.message, /^POST \/_mock\/join answered 401: \S/, 'the message names the request and carries Dyte\'s')
  t.ok(e.message.endsWith((e.body as { error: { message: string } }).error.message))

  await t.rejects(client.clock.advance(-1), { status: 400, message: /seconds/ }, 'a validation error names the field')
  await t.rejects(client.leave('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000'), { name: 'DyteMockError', status: 404 })

  // The raw client answers { error, response } and never throws; unwrap turns it into the same error.
  const raw = await client.api.POST('/join', { body: { token: 'not-a-token' } })
  t.equal(raw.response.status, 401)
  t.match(raw.error, { error: { code: 401 } })
  await t.rejects(unwrap(client.api.GET('/faults/{faultId}', { params: { path: { faultId: '00000000-0000-4000-8000-000000000000' } } })),
    { status: 404, message: /^GET \/_mock\/faults\/0{8}-.* answered 404: \S/ }, 'unwrap throws the same error')

  // A server that is gone is fetch's own error, not a DyteMockError.
  const nowhere = new DyteMockClient({ baseUrl: 'http://127.0.0.1:1/', orgId: 'o', apiKey: 'k' })
  t.equal(nowhere.baseUrl, 'http://127.0.0.1:1', 'a trailing slash is dropped')
  await t.rejects(nowhere.clock.get(), { name: 'TypeError' })
})

t.test('client.api: every operation typed, including the public key served at /.well-known', async (t) => {
  const { client, url } = await start(t)
  const { data } = await client.api.GET('/webhooks.json')
  const direct = await (await fetch(`${url}/.well-known/webhooks.json`)).json()
  t.equal(data?.data?.publicKey, direct.data.publicKey, 'GET /webhooks.json goes to /.well-known, where the spec serves it')
  t.match(data?.data?.publicKey, /BEGIN PUBLIC KEY/)
  const fidelity = await unwrap(client.api.GET('/fidelity'))
  t.ok(Array.isArray(fidelity.data) && fidelity.data.length > 100, 'another operation through the raw client')
  // Requests the client sends through a fetch of the caller's own.
  const seen: string[] = []
  const spy = new DyteMockClient({ baseUrl: url, orgId: client.orgId, apiKey: 'key', fetch: (input, init) => { seen.push(String(input instanceof Request ? input.url : input)); return fetch(input, init) } })
  await spy.clock.get()
  t.same(seen, [`${url}/_mock/clock`])
})

t.test('client: requests.verify passes on a matching call and throws with the differing body field named', async (t) => {
  const { client } = await start(t)
  await dyte(client, 'POST', '/meetings', { title: 'Standup', record_on_start: false })
  const matched = await client.requests.verify({ method: 'POST', path: '/v2/meetings', body: { title: 'Standup' } }, { times: 1 })
  t.equal(matched.length, 1)
  t.equal((await client.requests.list()).length, 1, 'the journal holds the one call')
  const err = await client.requests.verify({ method: 'POST', path: '/v2/meetings', body: { record_on_start: true } }).catch((e) => e)
  t.equal(err.name, 'VerificationError')
  t.match(err.message, /found 0/)
  t.match(err.message, /body\.record_on_start: expected true, got false/)
  await client.requests.clear()
  t.equal((await client.requests.list()).length, 0, 'cleared')
})

t.test('client: snapshot and restore bring the org back; coverage counts the calls', async (t) => {
  const { client } = await start(t)
  await dyte(client, 'POST', '/meetings', { title: 'Kept' })
  await client.snapshot('one-meeting')
  await dyte(client, 'POST', '/meetings', { title: 'Dropped' })
  t.equal((await dyte(client, 'GET', '/meetings')).json.data.length, 2)
  await client.restore('one-meeting')
  const after = await dyte(client, 'GET', '/meetings')
  t.same(after.json.data.map((m: { title: string }) => m.title), ['Kept'])
  const err = await client.restore('missing').catch((e) => e)
  t.equal(err.status, 404)
  const coverage = await client.coverage()
  t.ok(JSON.stringify(coverage).includes('createMeeting'), 'createMeeting is in the report')
})
