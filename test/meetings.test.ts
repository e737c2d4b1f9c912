import t from 'tap'
import { build, meeting } from './helpers.js'

t.test('createMeeting: 201 with defaults from the spec', async (t) => {
  const s = await build(t)
  const res = await s.call('POST', '/v2/meetings', { title: 'Standup' })
  t.equal(res.status, 201)
  t.equal(res.json.success, true)
  t.match(res.json.data, { title: 'Standup', status: 'ACTIVE', record_on_start: false, live_stream_on_start: false })
  t.match(res.json.data.id, /^[0-9a-f-]{36}$/)
  const got = await s.call('GET', `/v2/meetings/${res.json.data.id}`)
  t.equal(got.status, 200)
  t.same(got.json.data, res.json.data)
})

t.test('updateMeeting: patches only the fields sent', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const res = await s.call('PATCH', `/v2/meetings/${m.id}`, { status: 'INACTIVE', record_on_start: true })
  t.equal(res.status, 200)
  t.match(res.json.data, { id: m.id, title: 'Standup', status: 'INACTIVE', record_on_start: true })
  const bad = await s.call('PATCH', `/v2/meetings/${m.id}`, { status: 'CLOSED' })
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /body\/status must be one of: ACTIVE, INACTIVE/)
})

t.test('replaceMeeting: replaces every field, keeps id, status and created_at', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'A', record_on_start: true, persist_chat: true })
  await s.call('PATCH', `/v2/meetings/${m.id}`, { status: 'INACTIVE' })
  const res = await s.call('PUT', `/v2/meetings/${m.id}`, { title: 'B' })
  t.equal(res.status, 200)
  t.match(res.json.data, { id: m.id, title: 'B', record_on_start: false, persist_chat: false, status: 'INACTIVE', created_at: m.created_at })
  t.equal((await s.call('PUT', '/v2/meetings/00000000-0000-4000-8000-000000000000', { title: 'x' })).status, 404)
})

t.test('meetings: absent values the spec does not allow as null are left out', async (t) => {
  const s = await build(t)
  const m = await meeting(s, {})
  t.notOk('title' in m, 'no title key for a meeting without a title')
  t.equal(m.preferred_region, null, 'preferred_region is nullable in the real API and stays null')
  const got = await s.call('GET', `/v2/meetings/${m.id}`)
  t.notOk('title' in got.json.data)
})
