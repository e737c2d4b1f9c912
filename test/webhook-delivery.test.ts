// Webhook delivery, checked from the receiving end: a real HTTP receiver verifies every
// signature with the public key from /.well-known/webhooks.json.
import t, { type Test } from 'tap'
import { createVerify } from 'node:crypto'
import { addParticipant, advance, auth, build, join, meeting, type TestServer, type BuildOptions } from './helpers.js'
import { receiver, verifies } from './receiver.js'

const ALL = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft', 'meeting.chatSynced',
  'recording.statusUpdate', 'livestreaming.statusUpdate', 'meeting.transcript', 'meeting.summary']
const T0 = '2030-01-01T00:00:00.000Z'

async function setup (t: Test, script: Array<number | 'hang' | 'stall'> = [], opts: BuildOptions = {}) {
  const s = await build(t, { frozenAt: T0, ...opts })
  const r = await receiver(script)
  t.teardown(r.close)
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ALL })).json.data
  const key = (await s.app.inject('/.well-known/webhooks.json')).json()
  return { s, r, hook, publicKey: key.data.publicKey as string, key }
}

const person = (s: TestServer, meetingId: string, name: string) => addParticipant(s, meetingId, { name, custom_participant_id: name })

t.test('well-known: the public key is served at the host root in the RealtimeKit shape', async (t) => {
  const { key, publicKey } = await setup(t)
  t.match(key, { success: true, data: { publicKey: /^-----BEGIN PUBLIC KEY-----\n/ }, message: '' })
  t.match(publicKey, /-----END PUBLIC KEY-----\n$/)
})

t.test('delivery: every event type arrives signed, with Dyte headers and payload', async (t) => {
  const { s, r, hook, publicKey } = await setup(t)
  const m = await meeting(s, { title: 'signed' })
  const p = await person(s, m.id, 'alice')
  const j = (await s.call('POST', '/_mock/join', { token: p.token })).json.data
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  await advance(s, 3)
  await s.call('PUT', `/v2/recordings/${rec.id}`, { action: 'stop' })
  await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`)
  await advance(s, 5)
  for (const event of ['meeting.chatSynced', 'meeting.transcript', 'meeting.summary']) {
    t.equal((await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event })).status, 201)
  }
  const events = (await s.call('GET', '/_mock/events')).json.data
  const got = await r.until(events.length + 3)
  t.same([...new Set(got.map((x) => x.json.event))].sort(), [...ALL].sort(), 'all nine event types')
  for (const x of got) {
    t.ok(verifies(publicKey, x), `${x.json.event} signature verifies over the raw body`)
    // Dyte's own Node sample re-serialises the parsed body; that passes too.
    const v = createVerify('RSA-SHA256')
    v.update(Buffer.from(JSON.stringify(x.json)))
    t.ok(v.verify(publicKey, String(x.headers['dyte-signature']), 'base64'))
    t.equal(x.headers['content-type'], 'application/json')
    t.equal(x.headers['dyte-webhook-id'], hook.id)
    t.match(x.headers['dyte-uuid'], /^[0-9a-f-]{36}$/)
    t.match(x.headers['user-agent'], /^dyte-mock\//)
  }
  t.equal(new Set(got.map((x) => x.headers['dyte-uuid'])).size, got.length, 'dyte-uuid is unique per delivery')
  // payloads are exactly the recorded events, in order
  t.same(got.slice(0, events.length).map((x) => x.json), events.map((e: any) => e.payload))
  const joined = got.find((x) => x.json.event === 'meeting.participantJoined')!.json
  t.match(joined, { meeting: { id: m.id, sessionId: j.session_id, title: 'signed' }, participant: { peerId: j.peer_id, customParticipantId: 'alice' } })
  // The receiver has every request before the last answers are recorded: wait for them.
  t.equal((await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}&count=${got.length}`)).status, 200)
  const deliveries = (await s.call('GET', `/_mock/webhook-deliveries?webhook_id=${hook.id}&per_page=100`)).json
  t.equal(deliveries.paging.total_count, got.length)
  t.ok(deliveries.data.every((d: any) => d.status === 'succeeded' && d.attempts.length === 1 && d.attempts[0].status_code === 200))
})

t.test('capture: a server built to capture deliveries records them signed, in order, as they would have been POSTed', async (t) => {
  const s = await build(t, { frozenAt: T0, deliver: 'capture' })
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: 'https://example.com/hooks', events: ALL })).json.data
  const m = await meeting(s)
  await join(s, m.id, (await person(s, m.id, 'a')).id)
  await s.settled()
  t.same(s.captured.map((c) => c.json.event), ['meeting.started', 'meeting.participantJoined'])
  const publicKey = (await s.app.inject('/.well-known/webhooks.json')).json().data.publicKey
  for (const c of s.captured) {
    t.equal(c.url, hook.url)
    t.equal(c.headers['dyte-webhook-id'], hook.id)
    t.ok(verifies(publicKey, c), `${c.json.event} signature verifies over the raw body`)
  }
  const deliveries = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  t.ok(deliveries.length === 2 && deliveries.every((d: any) => d.status === 'succeeded' && d.attempts[0].status_code === 200), 'each counts as answered 200')
})

t.test('delivery: a receiver that fails twice gets retries on the org clock, same dyte-uuid', async (t) => {
  const { s, r } = await setup(t, [500, 503])
  const m = await meeting(s)
  await join(s, m.id, (await person(s, m.id, 'a')).id)
  await s.settled()
  t.equal(r.received.length, 1, 'the next delivery waits: deliveries of one webhook keep event order')
  let list = (await s.call('GET', '/_mock/webhook-deliveries?event=meeting.started')).json.data
  t.match(list[0], { status: 'pending', next_attempt_at: '2030-01-01T00:00:05.000Z', attempts: [{ n: 1, status_code: 500, response_excerpt: 'receiver says no' }] })
  await advance(s, 5)
  await s.settled()
  await advance(s, 30)
  const got = await r.until(4)
  t.same(got.map((x) => x.json.event), ['meeting.started', 'meeting.started', 'meeting.started', 'meeting.participantJoined'])
  t.equal(new Set(got.slice(0, 3).map((x) => x.headers['dyte-uuid'])).size, 1, 'the same dyte-uuid on every retry')
  t.same(got.slice(0, 3).map((x) => x.headers['dyte-signature']), Array(3).fill(got[0].headers['dyte-signature']))
  list = (await s.call('GET', '/_mock/webhook-deliveries?event=meeting.started')).json.data
  t.match(list[0], { status: 'succeeded', next_attempt_at: null })
  t.same(list[0].attempts.map((a: any) => [a.n, a.status_code, a.at]), [
    [1, 500, T0], [2, 503, '2030-01-01T00:00:05.000Z'], [3, 200, '2030-01-01T00:00:35.000Z'],
  ])
})

t.test('delivery: after the last retry a delivery fails; resend puts it back', async (t) => {
  const { s, r, hook } = await setup(t, [500, 500, 500])
  await s.call('PATCH', '/_mock/settings', { webhook_retry_schedule_s: [1, 1] })
  const sent = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  await s.settled()
  await advance(s, 1)
  await s.settled()
  await advance(s, 1)
  await r.until(3)
  const failed = await s.call('GET', '/v2/webhooks')
  t.equal(failed.status, 200)
  await s.settled()
  const [d] = (await s.call('GET', '/_mock/webhook-deliveries?status=failed')).json.data
  t.match(d, { id: sent.id, status: 'failed', attempts: [{ n: 1 }, { n: 2 }, { n: 3 }] })
  const again = await s.call('POST', `/_mock/webhook-deliveries/${sent.id}/resend`)
  t.equal(again.json.data.status, 'pending')
  const got = await r.until(4)
  t.equal(got[3].headers['dyte-uuid'], sent.id)
  const done = (await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}`)).json.data
  t.equal(done[0].attempts.length, 4)
  t.equal((await s.call('POST', `/_mock/webhook-deliveries/${sent.id}/resend`, undefined)).status, 200)
  t.equal((await s.call('POST', '/_mock/webhook-deliveries/00000000-0000-4000-8000-000000000000/resend')).status, 404)
})

t.test('delivery: no answer within the timeout is a failed attempt', async (t) => {
  const { s, r, hook } = await setup(t, ['hang'])
  await s.call('PATCH', '/_mock/settings', { webhook_timeout_ms: 100 })
  await s.call('POST', `/_mock/webhooks/${hook.id}/test`)
  await r.until(1)
  await s.settled()
  const [d] = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  t.match(d, { status: 'pending', attempts: [{ n: 1, status_code: null, error: 'no answer within 100 ms' }] })
})

t.test('wait: long-polls until a matching delivery succeeded, or answers 408', async (t) => {
  const { s, r } = await setup(t)
  const m = await meeting(s)
  // The long-poll is waiting before the join: a delivery goes out only on a later turn of the event loop.
  const waiting = s.call('GET', `/_mock/webhook-deliveries/wait?event=meeting.started&meeting_id=${m.id}&timeout_ms=5000`)
  await join(s, m.id, (await person(s, m.id, 'a')).id)
  const res = await waiting
  t.equal(res.status, 200)
  t.match(res.json.data, [{ event: 'meeting.started', meeting_id: m.id, status: 'succeeded', payload: { event: 'meeting.started' } }])
  await r.until(2)
  const two = await s.call('GET', `/_mock/webhook-deliveries/wait?meeting_id=${m.id}&count=2&timeout_ms=1000`)
  t.same(two.json.data.map((d: any) => d.event), ['meeting.started', 'meeting.participantJoined'])
  const timeout = await s.call('GET', '/_mock/webhook-deliveries/wait?event=meeting.ended&timeout_ms=50')
  t.equal(timeout.status, 408)
  t.match(timeout.json, { success: false, error: { code: 408, message: '0 of 1 matching deliveries succeeded within 50 ms' } })
})

t.test('delivery: other orgs, disabled and deleted webhooks receive nothing', async (t) => {
  const { s, r, hook } = await setup(t)
  const other = await receiver()
  t.teardown(other.close)
  await s.call('POST', '/v2/webhooks', { name: 'b', url: other.url, events: ALL }, 'org-b')
  const onlyEnded = await receiver()
  t.teardown(onlyEnded.close)
  await s.call('POST', '/v2/webhooks', { name: 'ended', url: onlyEnded.url, events: ['meeting.ended'] })
  const m = await meeting(s)
  await join(s, m.id, (await person(s, m.id, 'a')).id)
  await r.until(2)
  await s.settled()
  t.equal(other.received.length, 0, "org-b's webhook never sees org-a's events")
  t.equal(onlyEnded.received.length, 0, 'a webhook gets only the events it subscribes to')

  await s.call('PATCH', `/v2/webhooks/${hook.id}`, { enabled: false })
  await s.call('POST', `/_mock/meetings/${m.id}/active-session/end`)
  await onlyEnded.until(1)
  await s.settled()
  t.equal(r.received.length, 2, 'a disabled webhook receives nothing')
  t.equal(onlyEnded.received[0].json.event, 'meeting.ended')

  await s.call('PATCH', `/v2/webhooks/${hook.id}`, { enabled: true })
  await s.call('DELETE', `/v2/webhooks/${hook.id}`)
  await join(s, m.id, (await person(s, m.id, 'b')).id)
  await s.settled()
  t.equal(r.received.length, 2, 'a deleted webhook receives nothing')
})

t.test('inbox: a webhook pointed at /_mock/inbox/{name} stores what it receives', async (t) => {
  const s = await build(t)
  await s.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (s.app.server.address() as any).port
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'inbox', url: `http://127.0.0.1:${port}/_mock/inbox/ci-1`, events: ['meeting.started'] })).json.data
  await s.call('POST', `/_mock/webhooks/${hook.id}/test`)
  await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}`)
  const inbox = (await s.app.inject('/_mock/inbox/ci-1')).json().data
  t.equal(inbox.length, 1)
  const key = (await s.app.inject('/.well-known/webhooks.json')).json().data.publicKey
  t.ok(verifies(key, { headers: inbox[0].headers, body: inbox[0].body, json: null, at: 0 }), 'the stored body is the exact signed bytes')
  t.equal(JSON.parse(inbox[0].body).event, 'meeting.started')
  t.equal((await s.app.inject({ method: 'DELETE', url: '/_mock/inbox/ci-1' })).statusCode, 200)
  t.same((await s.app.inject('/_mock/inbox/ci-1')).json().data, [])
  t.equal((await s.app.inject('/_mock/inbox/bad%20name')).statusCode, 400)
})

t.test('test send: 404 for an unknown webhook, 400 for an event it does not subscribe to', async (t) => {
  const { s, hook } = await setup(t)
  t.equal((await s.call('POST', '/_mock/webhooks/00000000-0000-4000-8000-000000000000/test')).status, 404)
  const only = (await s.call('POST', '/v2/webhooks', { name: 'x', url: 'http://127.0.0.1:9/x', events: ['meeting.ended'] })).json.data
  t.equal((await s.call('POST', `/_mock/webhooks/${only.id}/test`, { event: 'meeting.started' })).status, 400)
  t.equal((await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'nope' })).status, 400)
})

t.test('reset: an attempt in flight when the org is reset leaves no trace on the deliveries made after it', async (t) => {
  // With a seed, ids repeat after a reset: the webhook and its first delivery get the same ids again.
  const { s, r, hook } = await setup(t, ['hang'], { seed: 'reset-in-flight' })
  await s.call('PATCH', '/_mock/settings', { webhook_timeout_ms: 300 })
  const before = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  await r.until(1) // the receiver holds the request: the attempt is in flight
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 })
  const again = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ALL })).json.data
  t.equal(again.id, hook.id, 'the seeded webhook id repeats')
  const after = (await s.call('POST', `/_mock/webhooks/${again.id}/test`)).json.data
  t.equal(after.id, before.id, 'so does the delivery id')
  const done = await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${again.id}&timeout_ms=2000`)
  t.equal(done.status, 200, 'the new delivery goes out at once')
  t.match(done.json.data, [{ id: after.id, status: 'succeeded', attempts: [{ n: 1, status_code: 200, error: null }] }])
  t.equal(done.json.data[0].attempts.length, 1, 'the attempt started before the reset is not recorded')
  await s.settled() // the old attempt has ended too (it would have timed out by 300 ms)
  const [d] = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  t.match(d, { id: after.id, status: 'succeeded' })
  t.equal(d.attempts.length, 1)
})

t.test('retries and resends go to the webhook\'s current url', async (t) => {
  const { s, r, hook } = await setup(t, [500])
  const moved = await receiver()
  t.teardown(moved.close)
  const sent = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  t.equal(sent.url, r.url)
  await s.settled()
  t.equal((await s.call('PATCH', `/v2/webhooks/${hook.id}`, { url: moved.url })).status, 200)
  await advance(s, 5)
  const [retry] = await moved.until(1)
  t.equal(retry.headers['dyte-uuid'], sent.id, 'the retry went to the new url')
  t.equal(retry.body, r.received[0].body)
  const done = (await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}`)).json.data
  t.match(done, [{ id: sent.id, url: moved.url, status: 'succeeded', attempts: [{ n: 1, status_code: 500 }, { n: 2, status_code: 200 }] }])

  const third = await receiver()
  t.teardown(third.close)
  await s.call('PUT', `/v2/webhooks/${hook.id}`, { name: 'all', url: third.url, events: ALL })
  t.equal((await s.call('POST', `/_mock/webhook-deliveries/${sent.id}/resend`)).status, 200)
  const [resent] = await third.until(1)
  t.equal(resent.headers['dyte-uuid'], sent.id, 'a resend goes to the url the webhook has now')
  t.equal(r.received.length, 1)
  t.equal(moved.received.length, 1)
})

t.test('a pending delivery of a webhook that was disabled or deleted fails without being sent', async (t) => {
  const { s, r, hook } = await setup(t, [500, 500])
  const other = (await s.call('POST', '/v2/webhooks', { name: 'other', url: r.url, events: ['meeting.ended'] })).json.data
  const first = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  const second = (await s.call('POST', `/_mock/webhooks/${other.id}/test`)).json.data
  await s.settled()
  await s.call('PATCH', `/v2/webhooks/${hook.id}`, { enabled: false })
  await s.call('DELETE', `/v2/webhooks/${other.id}`)
  await advance(s, 5)
  await s.settled()
  const list: any[] = (await s.call('GET', '/_mock/webhook-deliveries?status=failed')).json.data
  t.match(list.find((d) => d.id === first.id), { status: 'failed', attempts: [{ status_code: 500 }, { status_code: null, error: 'webhook is disabled' }] })
  t.match(list.find((d) => d.id === second.id), { status: 'failed', attempts: [{ status_code: 500 }, { status_code: null, error: 'webhook was deleted' }] })
  t.equal(r.received.length, 2, 'nothing more was sent')
})

t.test('delivery: a 2xx answer counts once its headers arrive, even if its body never ends', async (t) => {
  const { s, r, hook } = await setup(t, ['stall'])
  await s.call('PATCH', '/_mock/settings', { webhook_timeout_ms: 1000 })
  const sent = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`)).json.data
  await r.until(1)
  const done = await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}&timeout_ms=900`)
  t.equal(done.status, 200, 'succeeded before the timeout')
  t.match(done.json.data, [{ id: sent.id, status: 'succeeded', attempts: [{ n: 1, status_code: 200, error: null, response_excerpt: 'accepted, still ' }] }])
  t.equal(done.json.data[0].attempts.length, 1)
  t.ok(done.json.data[0].attempts[0].latency_ms < 900, 'latency is the time to the answer')
})

t.test('test send: a disabled webhook is a 400 and nothing is queued', async (t) => {
  const { s, r, hook } = await setup(t)
  await s.call('PATCH', `/v2/webhooks/${hook.id}`, { enabled: false })
  const res = await s.call('POST', `/_mock/webhooks/${hook.id}/test`)
  t.equal(res.status, 400)
  t.same(res.json, { success: false, error: { code: 400, message: `Webhook ${hook.id} is disabled: enable it (PATCH /v2/webhooks/${hook.id} {"enabled": true}) to send a test` } })
  t.same((await s.call('GET', '/_mock/webhook-deliveries')).json.data, [])
  await s.settled()
  t.equal(r.received.length, 0)
})

t.test('test send: the sample recording has its own id, its session is roomUUID', async (t) => {
  const { s, hook } = await setup(t)
  const d = (await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'recording.statusUpdate' })).json.data
  const { recording, meeting } = d.payload
  t.equal(recording.recordingId, recording.id)
  t.equal(recording.roomUUID, meeting.sessionId)
  t.not(recording.id, meeting.sessionId, 'a recording id is not a session id')
  t.not(recording.id, meeting.id)
})

t.test('delivery: a connection error names its cause', async (t) => {
  const { s, hook } = await setup(t)
  const closed = await receiver()
  await closed.close() // nothing listens on its port any more
  await s.call('PATCH', `/v2/webhooks/${hook.id}`, { url: closed.url })
  await s.call('POST', `/_mock/webhooks/${hook.id}/test`)
  const blocked = (await s.call('POST', '/v2/webhooks', { name: 'port 1', url: 'http://127.0.0.1:1/x', events: ['meeting.started'] })).json.data
  await s.call('POST', `/_mock/webhooks/${blocked.id}/test`)
  await s.settled()
  const list: any[] = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  const [refused] = list.find((d) => d.webhook_id === hook.id).attempts
  t.equal(refused.status_code, null)
  t.equal(refused.error, `connect ECONNREFUSED 127.0.0.1:${closed.port}`)
  const [bad] = list.find((d) => d.webhook_id === blocked.id).attempts
  t.equal(bad.error, 'fetch failed: bad port', 'a port fetch refuses to use (1, 9, 25, …) says so')
})

t.test('inbox: entries belong to the delivering org, on its clock; its reset clears them; credentials show only its own', async (t) => {
  const s = await build(t)
  await s.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(s.app.server.address() as any).port}`
  const inbox = `${base}/_mock/inbox/shared`
  const T1 = '2031-06-01T12:00:00.000Z'
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 })
  await s.call('POST', '/_mock/clock', { frozen: true, now: T1 }, 'org-b')
  for (const org of ['org-a', 'org-b']) {
    const hook = (await s.call('POST', '/v2/webhooks', { name: 'inbox', url: inbox, events: ['meeting.started'] }, org)).json.data
    await s.call('POST', `/_mock/webhooks/${hook.id}/test`, undefined, org)
    t.equal((await s.call('GET', `/_mock/webhook-deliveries/wait?webhook_id=${hook.id}`, undefined, org)).status, 200)
  }
  // a plain POST from anywhere else (no dyte-mock delivery headers)
  const external = await fetch(inbox, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":"elsewhere"}' })
  t.equal(external.status, 200)

  const read = async (org?: string) => {
    const res = await s.app.inject({ url: '/_mock/inbox/shared', headers: org ? auth(org) : {} })
    t.equal(res.statusCode, 200)
    return res.json().data as Array<{ received_at: string, headers: Record<string, string>, body: string }>
  }
  const a = await read('org-a')
  t.equal(a.length, 1, "org-a's credentials show only org-a's delivery")
  t.equal(a[0].received_at, T0, "stamped on org-a's clock")
  t.match(JSON.parse(a[0].body), { event: 'meeting.started', meeting: { organizedBy: { id: 'org-a' } } })
  const b = await read('org-b')
  t.equal(b.length, 1)
  t.equal(b[0].received_at, T1, "stamped on org-b's clock")
  const all = await read()
  t.equal(all.length, 3, 'without credentials: everything the inbox received, external POSTs included')
  t.same(JSON.parse(all[2].body), { from: 'elsewhere' })
  t.ok(Math.abs(Date.parse(all[2].received_at) - Date.now()) < 60_000, 'an external POST is stamped with wall time')
  t.equal((await s.app.inject({ url: '/_mock/inbox/shared', headers: { authorization: 'Basic bm9wZQ==' } })).statusCode, 401, 'bad credentials are refused, not ignored')

  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  t.same(await read('org-a'), [], "org-a's reset clears its entries")
  t.equal((await read('org-b')).length, 1, "org-b's are untouched")
  t.equal((await read()).length, 2)

  t.equal((await s.app.inject({ method: 'DELETE', url: '/_mock/inbox/shared', headers: auth('org-b') })).statusCode, 200)
  t.same(await read('org-b'), [], 'DELETE with credentials empties that org\'s entries')
  t.same((await read()).map((e) => e.body), ['{"from":"elsewhere"}'], 'and no one else\'s')
})
