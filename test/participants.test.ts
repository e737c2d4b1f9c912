import t from 'tap'
import { jwtVerify } from 'jose'
import { addParticipant, advance, build, meeting } from './helpers.js'

t.test('participants: tokens are RS256 JWTs with Dyte\'s claims, verifiable with the public key', async (t) => {
  const s = await build(t, { frozenAt: '2030-01-01T00:00:00.000Z' })
  const m = await meeting(s)
  const res = await s.call('POST', `/v2/meetings/${m.id}/participants`, { name: 'Jane', preset_name: 'group_call_host', custom_participant_id: 'jane@example.com', picture: 'https://example.com/j.png' })
  t.equal(res.status, 201)
  const p = res.json.data
  t.match(p, { name: 'Jane', preset_name: 'group_call_host', custom_participant_id: 'jane@example.com', picture: 'https://example.com/j.png', created_at: '2030-01-01T00:00:00.000Z' })
  const { publicKey } = await s.app.dyte.keys.load('jwt')
  const { payload, protectedHeader } = await jwtVerify(p.token, publicKey, { currentDate: new Date('2030-01-02T00:00:00Z') })
  t.same(protectedHeader, { alg: 'RS256', typ: 'JWT' })
  const host = (await s.call('GET', '/v2/presets')).json.data[0]
  t.match(payload, { orgId: 'org-a', meetingId: m.id, participantId: p.id, presetId: host.id, iat: 1893456000 })
  t.equal((payload.exp as number) - (payload.iat as number), 8_640_000, '100 days')

  const got = await s.call('GET', `/v2/meetings/${m.id}/participants/${p.id}`)
  t.notOk('token' in got.json.data, 'GET does not return a token')
  await advance(s, 60)
  const fresh = (await s.call('POST', `/v2/meetings/${m.id}/participants/${p.id}/token`)).json.data.token
  t.not(fresh, p.token)
  t.match((await jwtVerify(fresh, publicKey, { currentDate: new Date('2030-01-02T00:00:00Z') })).payload, { participantId: p.id, iat: 1893456060 })

  const patched = await s.call('PATCH', `/v2/meetings/${m.id}/participants/${p.id}`, { name: null, preset_name: 'webinar_viewer' })
  t.match(patched.json.data, { name: null, preset_name: 'webinar_viewer', picture: 'https://example.com/j.png', token: /^eyJ/ })
  const deleted = await s.call('DELETE', `/v2/meetings/${m.id}/participants/${p.id}`)
  t.match(deleted.json, { success: true, data: { custom_participant_id: 'jane@example.com', preset_id: /^[0-9a-f-]{36}$/ } })
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/participants/${p.id}`)).status, 404)
  t.equal((await s.call('DELETE', `/v2/meetings/${m.id}/participants/${p.id}`)).status, 404)
  const other = await meeting(s)
  const q = await addParticipant(s, other.id)
  t.equal(q.custom_participant_id, q.id, 'custom_participant_id defaults to the participant id')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/participants/${q.id}`)).status, 404, "another meeting's participant is a 404 here")
})

t.test('paging: offsets are right at the edges', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const list = (q: string) => s.call('GET', `/v2/meetings/${m.id}/participants${q}`).then((r) => r.json)
  t.same((await list('')).paging, { total_count: 0, start_offset: 0, end_offset: 0 }, 'empty')
  for (let i = 0; i < 5; i++) await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', custom_participant_id: `p${i}` })
  t.same((await list('?per_page=2')).paging, { total_count: 5, start_offset: 1, end_offset: 2 })
  const last = await list('?per_page=2&page_no=3')
  t.same(last.paging, { total_count: 5, start_offset: 5, end_offset: 5 }, 'last, partial page')
  t.same(last.data.map((p: any) => p.custom_participant_id), ['p4'])
  t.same((await list('?per_page=2&page_no=4')).paging, { total_count: 5, start_offset: 0, end_offset: 0 }, 'past the end')
  t.same((await list('')).data.map((p: any) => p.custom_participant_id), ['p0', 'p1', 'p2', 'p3', 'p4'], 'default page holds them all, in order')
  const meetings = await s.call('GET', '/v2/meetings?search=standup&status=ACTIVE&per_page=1')
  t.same(meetings.json.paging, { total_count: 1, start_offset: 1, end_offset: 1 })
  t.equal((await s.call('GET', '/v2/meetings?search=nope')).json.paging.total_count, 0)
})
