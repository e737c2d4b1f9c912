// A whole meeting driven end to end through the control plane on a frozen clock.
import t from 'tap'
import { addParticipant, advance, build, join, meeting, type TestServer } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString()

const person = (s: TestServer, meetingId: string, name: string, preset = 'group_call_participant') =>
  addParticipant(s, meetingId, { name, preset_name: preset, custom_participant_id: `c-${name}` })

t.test('simulator: a whole meeting on a frozen clock, with the exact events in order', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'Design review' })
  const alice = await person(s, m.id, 'alice', 'group_call_host')
  const bob = await person(s, m.id, 'bob')

  const ja = await s.call('POST', '/_mock/join', { token: alice.token })
  t.equal(ja.status, 200)
  t.match(ja.json.data, { meeting_id: m.id, participant_id: alice.id, session_id: String, peer_id: String })
  const sessionId = ja.json.data.session_id
  await advance(s, 30)
  const jb = await join(s, m.id, bob.id)
  t.equal(jb.json.data.session_id, sessionId, 'bob joins the live session')

  const live = await s.call('GET', `/v2/meetings/${m.id}/active-session`)
  t.match(live.json.data, { id: sessionId, status: 'LIVE', live_participants: 2, max_concurrent_participants: 2, started_at: T0, ended_at: null })
  t.equal(live.json.data.minutes_consumed, 0.5, 'alice has been there 30 s')

  const rec = await s.call('POST', '/v2/recordings', { meeting_id: m.id })
  t.equal(rec.status, 201)
  t.match(rec.json.data, { status: 'INVOKED', session_id: null, started_time: null, invoked_time: at(30) })
  const recId = rec.json.data.id

  const a1 = await advance(s, 2)
  t.same(a1.json.data.events.map((e: any) => e.payload.recording.status), ['RECORDING'])
  const recording = await s.call('GET', `/v2/recordings/${recId}`)
  t.match(recording.json.data, { status: 'RECORDING', session_id: sessionId, started_time: at(32) })

  await advance(s, 10)
  t.equal((await s.call('PUT', `/v2/recordings/${recId}`, { action: 'pause' })).json.data.status, 'PAUSED')
  const again = await s.call('PUT', `/v2/recordings/${recId}`, { action: 'pause' })
  t.equal(again.status, 400)
  t.match(again.json.error.message, /Cannot pause recording .* it is PAUSED/)
  await advance(s, 100)
  t.equal((await s.call('PUT', `/v2/recordings/${recId}`, { action: 'resume' })).json.data.status, 'RECORDING')
  await advance(s, 20)
  const stopped = await s.call('PUT', `/v2/recordings/${recId}`, { action: 'stop' })
  t.match(stopped.json.data, { status: 'UPLOADING', stopped_time: at(162), recording_duration: 30, stop_reason: { reason: 'API_CALL' } })
  t.equal((await s.call('PUT', `/v2/recordings/${recId}`, { action: 'resume' })).status, 400, 'a stopped recording cannot resume')

  await advance(s, 4)
  t.equal((await s.call('GET', `/v2/recordings/${recId}`)).json.data.status, 'UPLOADING', 'the upload takes 5 s')
  await advance(s, 1)
  const uploaded = (await s.call('GET', `/v2/recordings/${recId}`)).json.data
  t.match(uploaded, { status: 'UPLOADED', file_size: Number, download_url_expiry: at(167 + 86400) })
  const file = await s.app.inject(new URL(uploaded.download_url).pathname + new URL(uploaded.download_url).search)
  t.equal(file.statusCode, 200)
  t.equal(file.headers['content-type'], 'video/mp4')
  t.equal(file.rawPayload.length, uploaded.file_size)
  t.equal(file.rawPayload.subarray(4, 8).toString(), 'ftyp', 'an MP4 file')

  await s.call('POST', `/_mock/sessions/${sessionId}/peers/${ja.json.data.peer_id}/leave`)
  await advance(s, 60)
  const left = await s.call('POST', `/_mock/sessions/${sessionId}/peers/${jb.json.data.peer_id}/leave`)
  t.match(left.json.data, { status: 'ENDED', live_participants: 0, ended_at: at(227) })
  // alice: 0 → 167 s, bob: 30 → 227 s
  const ended = (await s.call('GET', `/v2/sessions/${sessionId}`)).json.data
  t.equal(ended.minutes_consumed, (167 + 197) / 60)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-session`)).status, 404)

  const peers = (await s.call('GET', `/v2/sessions/${sessionId}/participants?sort_by=joinedAt`)).json.data
  t.match(peers, [
    { user_id: alice.id, display_name: 'alice', custom_participant_id: 'c-alice', joined_at: at(0), left_at: at(167), duration: 167 / 60 },
    { user_id: bob.id, display_name: 'bob', joined_at: at(30), left_at: at(227), duration: 197 / 60 },
  ])

  const events = (await s.call('GET', '/_mock/events')).json.data
  t.same(events.map((e: any) => [e.type, e.payload.recording?.status ?? e.payload.reason ?? e.payload.participant?.userDisplayName ?? '', e.at]), [
    ['meeting.started', '', at(0)],
    ['meeting.participantJoined', 'alice', at(0)],
    ['meeting.participantJoined', 'bob', at(30)],
    ['recording.statusUpdate', 'INVOKED', at(30)],
    ['recording.statusUpdate', 'RECORDING', at(32)],
    ['recording.statusUpdate', 'PAUSED', at(42)],
    ['recording.statusUpdate', 'RECORDING', at(142)],
    ['recording.statusUpdate', 'UPLOADING', at(162)],
    ['recording.statusUpdate', 'UPLOADED', at(167)],
    ['meeting.participantLeft', 'alice', at(167)],
    ['meeting.participantLeft', 'bob', at(227)],
    ['meeting.ended', 'ALL_PARTICIPANTS_LEFT', at(227)],
  ])
  const started = events[0].payload
  t.same(started, {
    event: 'meeting.started',
    meeting: { id: m.id, sessionId, title: 'Design review', roomName: m.id, status: 'LIVE', createdAt: T0, startedAt: T0, endedAt: null, organizedBy: { id: 'org-a', name: 'org-a' } },
  })
  t.match(events[8].payload.recording, { id: recId, recordingId: recId, meetingId: m.id, roomUUID: sessionId, status: 'UPLOADED', downloadUrl: /^http/, startedTime: '2030-01-01 00:00:32.000000Z' })
  t.match(events[9].payload.participant, { peerId: ja.json.data.peer_id, userDisplayName: 'alice', customParticipantId: 'c-alice', joinedAt: at(0), leftAt: at(167) })

  // the presigned-style URL expires on the org clock
  await advance(s, 86400)
  const expired = await s.app.inject(new URL(uploaded.download_url).pathname + new URL(uploaded.download_url).search)
  t.equal(expired.statusCode, 403)
  t.match(expired.json(), { success: false, error: { code: 403, message: 'Request has expired' } })
  const tampered = await s.app.inject(new URL(uploaded.download_url).pathname + '?expires=9999999999999&signature=x')
  t.equal(tampered.statusCode, 403)
})

t.test('simulator: events filter by type, meeting and time', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m1 = await meeting(s)
  const m2 = await meeting(s)
  await join(s, m1.id, (await person(s, m1.id, 'a')).id)
  await advance(s, 10)
  await join(s, m2.id, (await person(s, m2.id, 'b')).id)
  const byMeeting = (await s.call('GET', `/_mock/events?meeting_id=${m2.id}`)).json
  t.same(byMeeting.data.map((e: any) => e.type), ['meeting.started', 'meeting.participantJoined'])
  t.equal(byMeeting.paging.total_count, 2)
  t.equal((await s.call('GET', '/_mock/events?type=meeting.started')).json.data.length, 2)
  t.equal((await s.call('GET', `/_mock/events?since=${encodeURIComponent(at(5))}`)).json.data.length, 2)
  t.equal((await s.call('GET', `/_mock/events?until=${encodeURIComponent(at(5))}`)).json.data.length, 2)
  t.equal((await s.call('GET', '/_mock/events?type=nope')).status, 400)
})

t.test('simulator: record_on_start and live_stream_on_start follow the session', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'auto', record_on_start: true, live_stream_on_start: true })
  const p = await person(s, m.id, 'a')
  const j = (await join(s, m.id, p.id)).json.data
  const rec = (await s.call('GET', `/v2/recordings/active-recording/${m.id}`)).json.data
  t.match(rec, { status: 'INVOKED', start_reason: { reason: 'RECORD_ON_START' } })
  await advance(s, 3)
  t.equal((await s.call('GET', `/v2/recordings/${rec.id}`)).json.data.status, 'RECORDING')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)).json.data.status, 'LIVE')
  await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`)
  const r = (await s.call('GET', `/v2/recordings/${rec.id}`)).json.data
  t.match(r, { status: 'UPLOADING', stop_reason: { reason: 'ALL_PEERS_LEFT' }, recording_duration: 1 })
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)).json.data.status, 'STOPPING')
  const a = await advance(s, 5)
  t.same(a.json.data.events.map((e: any) => e.payload.status ?? e.payload.recording?.status), ['OFFLINE', 'UPLOADED'])
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)).status, 404)
})

t.test('simulator: a session with a keep-alive time ends that long after the last one leaves', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'k', session_keep_alive_time_in_secs: 120 })
  const p = await person(s, m.id, 'a')
  const j = (await join(s, m.id, p.id)).json.data
  await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`)
  await advance(s, 119)
  t.equal((await s.call('GET', `/v2/sessions/${j.session_id}`)).json.data.status, 'LIVE')
  // rejoining inside the keep-alive keeps the same session
  const again = (await join(s, m.id, p.id)).json.data
  t.equal(again.session_id, j.session_id)
  await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${again.peer_id}/leave`)
  const a = await advance(s, 120)
  t.same(a.json.data.events.map((e: any) => e.type), ['meeting.ended'])
  t.match((await s.call('GET', `/v2/sessions/${j.session_id}`)).json.data, { status: 'ENDED', ended_at: at(239), max_concurrent_participants: 1 })
  const peers = (await s.call('GET', `/v2/sessions/${j.session_id}/participants`)).json
  t.equal(peers.paging.total_count, 2, 'a participant who joins twice has two entries')
})

t.test('control plane: joins are refused like the SDK refuses them', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const p = await person(s, m.id, 'a')
  t.equal((await s.call('POST', '/_mock/join', { token: 'not-a-jwt' })).status, 401)
  const forged = p.token.slice(0, -4) + (p.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
  t.equal((await s.call('POST', '/_mock/join', { token: forged })).status, 401)
  t.equal((await s.call('POST', '/_mock/join', { token: p.token }, 'org-b')).status, 401, "another org's token")
  t.equal((await join(s, m.id, p.id, 'org-b')).status, 404)

  await s.call('PATCH', `/v2/meetings/${m.id}`, { status: 'INACTIVE' })
  const inactive = await s.call('POST', '/_mock/join', { token: p.token })
  t.equal(inactive.status, 403)
  t.match(inactive.json.error.message, /INACTIVE/)
  await s.call('PATCH', `/v2/meetings/${m.id}`, { status: 'ACTIVE' })

  await advance(s, 100 * 86400 + 1)
  const expired = await s.call('POST', '/_mock/join', { token: p.token })
  t.equal(expired.status, 401)
  t.match(expired.json.error.message, /exp/)
  const fresh = (await s.call('POST', `/v2/meetings/${m.id}/participants/${p.id}/token`)).json.data.token
  t.equal((await s.call('POST', '/_mock/join', { token: fresh })).status, 200)

  await s.call('DELETE', `/v2/meetings/${m.id}/participants/${p.id}`)
  t.equal((await s.call('POST', '/_mock/join', { token: fresh })).status, 404, 'a deleted participant cannot join')
})

t.test('active session: kick, kick-all, mute, mute-all and poll', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const a = await person(s, m.id, 'a')
  const b = await person(s, m.id, 'b')
  const c = await person(s, m.id, 'c')
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-session/kick`, { participant_ids: [a.id] })).status, 404, 'no live session')
  for (const p of [a, b, c]) await join(s, m.id, p.id)

  const unknown = await s.call('POST', `/v2/meetings/${m.id}/active-session/kick`, { participant_ids: ['nobody'] })
  t.equal(unknown.status, 404)
  t.equal(unknown.json.error.message, 'No user found with id nobody')
  const kick = await s.call('POST', `/v2/meetings/${m.id}/active-session/kick`, { participant_ids: [a.id], custom_participant_ids: ['c-b'] })
  t.equal(kick.status, 200)
  t.equal(kick.json.data.action, 'kick')
  t.same(kick.json.data.participants.map((p: any) => p.id).sort(), [a.id, b.id].sort())
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-session`)).json.data.live_participants, 1)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-session/mute`, { participant_ids: [c.id] })).json.data.participants[0].id, c.id)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-session/mute`, {})).status, 400)
  t.same((await s.call('POST', `/v2/meetings/${m.id}/active-session/mute-all`, { allow_unmute: true })).json.data, { action: 'mute-all', muted_participants_count: 1 })
  const poll = await s.call('POST', `/v2/meetings/${m.id}/active-session/poll`, { question: 'Lunch?', options: ['yes', 'no'] })
  t.equal(poll.status, 201)
  t.match(poll.json.data.poll, { question: 'Lunch?', options: [{ text: 'yes', count: 0, votes: [] }, { text: 'no', count: 0, votes: [] }] })
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-session/poll`, { question: 'x' })).status, 400)
  const all = await s.call('POST', `/v2/meetings/${m.id}/active-session/kick-all`)
  t.same(all.json.data, { action: 'kick-all', kicked_participants_count: 1 })
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-session`)).status, 404)
  const ended = (await s.call('GET', `/_mock/events?type=meeting.ended`)).json.data
  t.equal(ended.length, 1)
  t.equal(ended[0].payload.reason, 'HOST_ENDED_MEETING')
})

t.test('control plane: end the active session for everyone', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  t.equal((await s.call('POST', `/_mock/meetings/${m.id}/active-session/end`)).status, 404)
  for (const n of ['a', 'b']) await join(s, m.id, (await person(s, m.id, n)).id)
  const end = await s.call('POST', `/_mock/meetings/${m.id}/active-session/end`)
  t.match(end.json.data, { status: 'ENDED', live_participants: 0 })
  t.same((await s.call('GET', '/_mock/events')).json.data.map((e: any) => e.type).slice(-3),
    ['meeting.participantLeft', 'meeting.participantLeft', 'meeting.ended'])
})

t.test('control plane: a recording can be made to fail', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  const failed = await s.call('POST', `/_mock/recordings/${r.id}/fail`)
  t.match(failed.json.data, { status: 'ERRORED', stop_reason: { reason: 'INTERNAL_ERROR' } })
  await advance(s, 10)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'ERRORED', 'pending transitions are cancelled')
  t.equal((await s.call('POST', `/_mock/recordings/${r.id}/fail`)).status, 400)
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: m.id })).status, 201, 'a failed recording is no longer active')
})

t.test('control plane: settings change the delays', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  t.same((await s.call('GET', '/_mock/settings')).json.data, {
    recording_start_delay_s: 2, recording_upload_delay_s: 5, livestream_start_delay_s: 3, livestream_stop_delay_s: 2, download_url_ttl_s: 86400,
    webhook_retry_schedule_s: [5, 30, 120, 600, 1800], webhook_timeout_ms: 3000, rate_limit: null, shapes: 'seed',
  })
  const p = await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: 0, recording_upload_delay_s: 60 })
  t.match(p.json.data, { recording_start_delay_s: 0, recording_upload_delay_s: 60, livestream_start_delay_s: 3 })
  t.equal((await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: -1 })).status, 400)
  t.equal((await s.call('PATCH', '/_mock/settings', {})).status, 400)
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await advance(s, 0.001)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'RECORDING')
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  await advance(s, 59)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADING')
  t.same((await s.call('GET', '/_mock/settings', undefined, 'org-b')).json.data.recording_upload_delay_s, 5, 'settings are per org')
})

t.test('control plane: two orgs run at once without interference, and reset wipes one', async (t) => {
  const s = await build(t)
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'org-a')
  const mb = await meeting(s, { title: 'b' }, 'org-b')
  const ma = await meeting(s, { title: 'a' }, 'org-a')
  t.not((await s.call('GET', '/_mock/clock', undefined, 'org-b')).json.data.now, T0, "org-b's clock still follows wall time")
  t.equal((await s.call('GET', '/_mock/clock', undefined, 'org-b')).json.data.frozen, false)
  await s.call('POST', '/v2/recordings', { meeting_id: ma.id }, 'org-a')
  await s.call('POST', '/v2/recordings', { meeting_id: mb.id }, 'org-b')
  const adv = await advance(s, 10, 'org-a')
  t.equal(adv.json.data.events.length, 1, "only org-a's recording moved")
  t.equal((await s.call('GET', '/_mock/events', undefined, 'org-b')).json.data.length, 1, 'org-b sees only its own events')

  const reset = await s.call('POST', '/_mock/reset', undefined, 'org-a')
  t.equal(reset.status, 200)
  t.equal((await s.call('GET', '/v2/meetings', undefined, 'org-a')).json.paging.total_count, 0)
  t.equal((await s.call('GET', '/_mock/events', undefined, 'org-a')).json.data.length, 0)
  t.equal((await s.call('GET', '/_mock/clock', undefined, 'org-a')).json.data.frozen, false, 'the clock is reset too')
  t.equal((await s.call('GET', '/v2/meetings', undefined, 'org-b')).json.paging.total_count, 1, 'org-b is untouched')
})

t.test('clock: freeze, unfreeze and advance', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  t.same((await advance(s, 1.5)).json.data, { now: at(1.5), frozen: true, events: [] })
  t.equal((await advance(s, 0)).status, 400)
  t.equal((await s.call('POST', '/_mock/clock/advance', { seconds: 'x' })).status, 400)
  t.equal((await s.call('POST', '/_mock/clock', { frozen: false, now: T0 })).status, 400)
  const m = await meeting(s)
  t.equal(m.created_at, at(1.5), 'timestamps come from the org clock')
  const thawed = await s.call('POST', '/_mock/clock', { frozen: false })
  t.equal(thawed.json.data.frozen, false)
  const later = (await s.call('GET', '/_mock/clock')).json.data.now
  t.ok(Date.parse(later) >= Date.parse(at(1.5)) && Date.parse(later) < Date.parse(at(60)), 'time runs on from where it stood')
  const adv = await advance(s, 3600)
  t.ok(Date.parse(adv.json.data.now) >= Date.parse(at(3601.5)), 'a running clock can be advanced too')
})

t.test('determinism: with a seed and a frozen clock, two runs give identical bodies', async (t) => {
  const run = async () => {
    const s = await build(t, { frozenAt: T0, seed: 'fixed' })
    const m = await meeting(s, { title: 'same' })
    const p = await person(s, m.id, 'a')
    const j = (await join(s, m.id, p.id)).json.data
    await s.call('POST', '/v2/recordings', { meeting_id: m.id })
    await advance(s, 10)
    const events = (await s.call('GET', '/_mock/events')).json.data
    return { m, p: { ...p, token: undefined }, j, events }
  }
  const one = await run()
  const two = await run()
  t.same(two, one)
  t.match(one.m.id, /^[0-9a-f-]{36}$/)
})

t.test('determinism: with a seed, livestream keys, signed file URLs and built-in presets repeat on a fresh database', async (t) => {
  const run = async () => {
    const s = await build(t, { frozenAt: T0, seed: 'fixed' })
    const presets = (await s.call('GET', '/v2/presets')).json.data
    const preset = (await s.call('GET', `/v2/presets/${presets[0].id}`)).json.data
    const m = await meeting(s, { title: 'same' })
    const p = await person(s, m.id, 'a')
    await join(s, m.id, p.id)
    const live = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`)).json.data
    const standalone = (await s.call('POST', '/v2/livestreams', { name: 'own' })).json.data
    const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
    await advance(s, 10)
    await s.call('PUT', `/v2/recordings/${rec.id}`, { action: 'stop' })
    await advance(s, 10)
    const uploaded = (await s.call('GET', `/v2/recordings/${rec.id}`)).json.data
    const chat = (await s.call('GET', `/v2/sessions/${(await s.call('GET', '/v2/sessions')).json.data[0].id}/chat`)).json.data
    return { presets, preset, live, standalone, uploaded, chat }
  }
  const one = await run()
  const two = await run()
  t.same(two, one)
  t.ok(one.presets.every((p: any) => p.created_at === T0 && p.updated_at === T0), 'built-in presets are stamped on the org clock')
  t.match(one.standalone, { stream_key: /^sk_us-east-1_[A-Za-z0-9_-]{24}$/, playback_url: /^https:\/\/[0-9a-f]{12}\./ })
  t.match(one.uploaded.download_url, /signature=/)
})

t.test('determinism: with a seed, the same database gives identical bodies after a reset, participant tokens included', async (t) => {
  const s = await build(t, { seed: 'fixed' })
  const run = async () => {
    await s.call('POST', '/_mock/clock', { frozen: true, now: T0 })
    const m = await meeting(s, { title: 'same' })
    const p = await person(s, m.id, 'a')
    const j = (await join(s, m.id, p.id)).json.data
    const events = (await s.call('GET', '/_mock/events')).json.data
    const presets = (await s.call('GET', '/v2/presets')).json.data
    await s.call('POST', '/_mock/reset')
    return { m, p, j, events, presets }
  }
  const one = await run()
  const two = await run()
  t.same(two, one)
  t.match(one.p.token, /^ey/)
})

t.test('events: a recording stopped because everyone left is stopped by the platform (caller INTERNAL)', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'empty room' })
  const p = await person(s, m.id, 'a')
  const j = (await join(s, m.id, p.id)).json.data
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await advance(s, 5)
  await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`)
  const r = (await s.call('GET', `/v2/recordings/${rec.id}`)).json.data
  t.same(r.stop_reason, { reason: 'ALL_PEERS_LEFT' }, 'no organization or user stopped it')
  const updates = (await s.call('GET', '/_mock/events?type=recording.statusUpdate')).json.data
  const uploading = updates.find((e: any) => e.payload.recording.status === 'UPLOADING')
  t.equal(uploading.payload.recording.stopReason, "{'reason':'ALL_PEERS_LEFT','caller':{'type':'INTERNAL'}}", 'as Dyte sends it')
})

t.test('events: organizedBy names the org when it has a name, else its id', async (t) => {
  const s = await build(t)
  /** The organizedBy of the org's meeting.started, as /_mock/events shows it (and webhooks send it). */
  const organizedBy = async (org: string) => {
    const m = await meeting(s, { title: 'named' }, org)
    const p = await addParticipant(s, m.id, { name: 'a', custom_participant_id: 'a' }, org)
    t.equal((await join(s, m.id, p.id, org)).status, 200)
    return (await s.call('GET', '/_mock/events?type=meeting.started', undefined, org)).json.data[0].payload.meeting.organizedBy
  }
  t.same(await organizedBy('plain-org'), { id: 'plain-org', name: 'plain-org' }, 'an org with no name of its own: its id')

  const bearer = { authorization: 'Bearer cli-token', 'content-type': 'application/json' }
  const org = (await s.app.inject({ method: 'POST', url: '/v2/orgs', headers: bearer, payload: { name: 'Acme' } })).json().data
  t.same(await organizedBy(org.id), { id: org.id, name: 'Acme' }, 'an org made through /v2/orgs')

  const app = (await s.app.inject({ method: 'POST', url: '/accounts/acc/realtime/kit/apps', headers: bearer, payload: { name: 'video-app' } })).json().data.app
  t.same(await organizedBy(app.id), { id: app.id, name: 'video-app' }, 'a RealtimeKit app')
})
