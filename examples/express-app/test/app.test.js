// The backend's integration tests: the app runs for real, against dyte-mock started in-process.
// Each test drives an org of its own (so they could run in parallel), and the app's Dyte
// credentials are that org's. Webhooks reach the app over HTTP, signed like Dyte's.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { startDyteMock } from 'dyte-mock'
import { createApp } from '../src/app.js'
import { createDyte } from '../src/dyte.js'

/** @type {import('dyte-mock').DyteMock} */
let mock
before(async () => { mock = await startDyteMock() })
after(() => mock.close())

/** A fresh org, and the app configured with its credentials and listening on a free port. */
async function setup (t) {
  const client = mock.clientFor()
  const dyte = createDyte({ baseUrl: `${mock.url}/v2`, orgId: client.orgId, apiKey: client.apiKey })
  const server = createApp({ dyte }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${server.address().port}`
  /** A call to the app, as its front end makes them. */
  const app = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  /** Subscribes the app to Dyte's webhooks, as its deployment would. */
  const subscribe = () => dyte.createWebhook(`${base}/webhooks/dyte`, ['meeting.started', 'meeting.ended', 'recording.statusUpdate'])
  return { client, app, base, subscribe }
}

test('a new class is a Dyte meeting with its title', async (t) => {
  const { client, app } = await setup(t)
  const created = await app('POST', '/classes', { title: 'Algebra 101' })
  assert.equal(created.status, 201)
  const meeting = await fetch(`${client.baseUrl}/v2/meetings/${created.body.meeting_id}`, { headers: { authorization: client.authorization } })
  assert.equal(meeting.status, 200)
  assert.equal((await meeting.json()).data.title, 'Algebra 101')
})

test('a teacher\'s token joins the meeting, and the class goes live and ends by webhook', async (t) => {
  const { client, app, subscribe } = await setup(t)
  await subscribe()
  const { body: c } = await app('POST', '/classes', { title: 'Physics' })
  const joined = await app('POST', `/classes/${c.id}/join`, { name: 'Ada', user_id: 'teacher-1', role: 'teacher' })
  assert.equal(joined.status, 201)

  // The front-end SDK would join with this token; the test does it through the control plane.
  const session = await client.join(joined.body.token)
  await client.waitForDelivery({ event: 'meeting.started' })
  assert.equal((await app('GET', `/classes/${c.id}`)).body.live, true)

  await client.leave(session.session_id, session.peer_id)
  await client.waitForDelivery({ event: 'meeting.ended' })
  assert.equal((await app('GET', `/classes/${c.id}`)).body.live, false)
})

test('a recording started by the app reaches RECORDING, on a frozen clock', async (t) => {
  const { client, app, subscribe } = await setup(t)
  await client.clock.freeze('2030-01-01T09:00:00Z')
  await subscribe()
  const { body: c } = await app('POST', `/classes`, { title: 'Chemistry' })
  const { body: teacher } = await app('POST', `/classes/${c.id}/join`, { name: 'Ada', user_id: 'teacher-1', role: 'teacher' })
  await client.join(teacher.token)

  const started = await app('POST', `/classes/${c.id}/recordings`)
  assert.equal(started.status, 201)
  assert.equal(started.body.status, 'INVOKED')

  // Dyte's recorder takes a moment to start: advance the clock instead of waiting for it.
  await client.clock.advance(5)
  const updates = await client.events({ type: 'recording.statusUpdate' })
  await client.waitForDelivery({ event: 'recording.statusUpdate', count: updates.length })
  assert.equal((await app('GET', `/classes/${c.id}`)).body.recordings[started.body.recording_id], 'RECORDING')
})

test('a webhook without a valid signature is refused and changes nothing', async (t) => {
  const { app, base } = await setup(t)
  const { body: c } = await app('POST', '/classes', { title: 'History' })
  const forged = JSON.stringify({ event: 'meeting.started', meeting: { id: c.meeting_id } })
  for (const signature of [undefined, Buffer.from('not a signature').toString('base64')]) {
    const res = await fetch(`${base}/webhooks/dyte`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dyte-uuid': 'x', ...(signature ? { 'dyte-signature': signature } : {}) },
      body: forged,
    })
    assert.equal(res.status, 401)
  }
  assert.equal((await app('GET', `/classes/${c.id}`)).body.live, false)
})

test('a delivery sent again (same dyte-uuid) is acknowledged but applied once', async (t) => {
  const { client, app, subscribe } = await setup(t)
  await subscribe()
  const { body: c } = await app('POST', '/classes', { title: 'Art' })
  const { body: student } = await app('POST', `/classes/${c.id}/join`, { name: 'Bo', user_id: 'student-1', role: 'student' })
  await client.join(student.token)
  const [delivery] = await client.waitForDelivery({ event: 'meeting.started' })

  const resent = await client.api.POST('/webhook-deliveries/{deliveryId}/resend', { params: { path: { deliveryId: delivery.id } } })
  assert.equal(resent.response.status, 200)
  const [again] = await client.waitForDelivery({ event: 'meeting.started' })
  assert.equal(again.attempts.length, 2, 'delivered twice')
  assert.equal(again.attempts[1].status_code, 200, 'and acknowledged twice')
  assert.equal((await app('GET', '/stats')).body.webhooks_handled, 1)
})

test('when Dyte fails, the app answers 502 with what Dyte said', async (t) => {
  const { client, app } = await setup(t)
  await client.faults.add({ operation_id: 'createMeeting', status: 503, message: 'Dyte is having a bad day', times: 1 })
  const failed = await app('POST', '/classes', { title: 'Biology' })
  assert.equal(failed.status, 502)
  assert.equal(failed.body.error, 'Dyte answered 503: Dyte is having a bad day')
  assert.equal((await app('POST', '/classes', { title: 'Biology' })).status, 201, 'the next try succeeds')
})
