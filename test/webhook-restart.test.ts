// Delivery state is in SQLite: pending deliveries survive a restart, and even a kill -9 in the
// middle of an attempt, and go out again with the same dyte-uuid.
import t from 'tap'
import { advance, build, spawnServer, tmpDb } from './helpers.js'
import { receiver } from './receiver.js'


t.test('restart: a delivery pending when the server closed goes out after it starts again', async (t) => {
  const dbPath = tmpDb(t)
  const r = await receiver([503])
  t.teardown(r.close)
  let s = await build(t, { dbPath, frozenAt: '2030-01-01T00:00:00.000Z' })
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'w', url: r.url, events: ['meeting.started'] })).json.data
  const sent = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  await s.settled() // the 503 is recorded before the server closes
  await s.app.close()

  s = await build(t, { dbPath })
  t.match((await s.call('GET', '/_mock/webhook-deliveries')).json.data, [{ id: sent.id, status: 'pending', attempts: [{ status_code: 503 }] }])
  await advance(s, 5)
  const got = await r.until(2)
  t.equal(got[1].headers['dyte-uuid'], sent.id)
  t.equal(got[1].body, got[0].body)
})

t.test('kill -9: a delivery in flight when the process dies is delivered after a restart', async (t) => {
  const dbPath = tmpDb(t)
  const r = await receiver(['hang', 200])
  t.teardown(r.close)
  const auth = { authorization: 'Basic ' + Buffer.from('org-k:key').toString('base64'), 'content-type': 'application/json' }
  let { child, base } = await spawnServer(dbPath)
  t.teardown(() => { child.kill('SIGKILL') })
  const hook = await (await fetch(`${base}/v2/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'w', url: r.url, events: ['meeting.started'] }) })).json() as any
  const sent = await (await fetch(`${base}/_mock/webhooks/${hook.data.id}/test`, { method: 'POST', headers: auth, body: '{}' })).json() as any
  t.equal(sent.data.status, 'pending')
  await r.until(1) // the receiver holds the request: the attempt is in flight
  child.kill('SIGKILL')
  await new Promise((res) => child.once('exit', res))

  ;({ child, base } = await spawnServer(dbPath))
  const got = await r.until(2)
  t.equal(got[1].headers['dyte-uuid'], sent.data.id, 'the same dyte-uuid: receivers can drop duplicates')
  t.equal(got[1].body, got[0].body)
  const wait = await (await fetch(`${base}/_mock/webhook-deliveries/wait?webhook_id=${hook.data.id}`, { headers: auth })).json() as any
  t.equal(wait.data[0].status, 'succeeded')
  child.kill('SIGTERM')
  const code = await new Promise((res) => child.once('exit', res))
  t.equal(code, 0, 'SIGTERM exits cleanly')
})
