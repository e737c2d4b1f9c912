// Chat, transcript and summary exports, peer reports, analytics and track recordings.
import t from 'tap'
import { addParticipant, advance, build, join, meeting, type TestServer } from './helpers.js'

const T0 = '2030-03-01T10:00:00.000Z'

async function endedSession (s: TestServer, body: Record<string, unknown> = { title: 'Retro' }) {
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 })
  const m = await meeting(s, body)
  const ids = []
  for (const name of ['ann', 'ben']) {
    const p = await addParticipant(s, m.id, { name, custom_participant_id: name })
    ids.push((await join(s, m.id, p.id)).json.data)
    await advance(s, 60)
  }
  await s.call('POST', `/_mock/meetings/${m.id}/active-session/end`)
  return { m, sessionId: ids[0].session_id as string, peers: ids.map((j: any) => j.peer_id as string) }
}

const fetchFile = async (s: TestServer, url: string) => s.app.inject(new URL(url).pathname + new URL(url).search)

t.test('exports: chat, transcript in four formats and summary, behind expiring URLs', async (t) => {
  const s = await build(t)
  const { sessionId } = await endedSession(s)
  const chat = await s.call('GET', `/v2/sessions/${sessionId}/chat`)
  t.match(chat.json.data, { chat_download_url: /^http:\/\/localhost(:\d+)?\/_mock\/files\/org-a\/sessions\//, chat_download_url_expiry: '2030-03-02T10:02:00.000Z' })
  const csv = await fetchFile(s, chat.json.data.chat_download_url)
  t.equal(csv.statusCode, 200)
  t.equal(csv.headers['content-type'], 'text/csv')
  t.same(csv.body.trim().split('\n').map((l) => l.split(',')[4]), ['displayName', 'ann', 'ben'])

  for (const [format, type, check] of [['CSV', 'text/csv', /^startTime,endTime/], ['JSON', 'application/json', /^\[\{"startTime":0,/], ['SRT', 'application/x-subrip', /^1\n00:00:00,000 --> 00:00:02,000\nann: Hello from ann/], ['VTT', 'text/vtt', /^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\n<v ann>Hello from ann/]] as const) {
    const tr = await s.call('GET', `/v2/sessions/${sessionId}/transcript?format=${format}`)
    t.equal(tr.json.data.sessionId, sessionId)
    const file = await fetchFile(s, tr.json.data.transcript_download_url)
    t.equal(String(file.headers['content-type']).split(';')[0], type)
    t.match(file.body, check, `${format} transcript`)
  }
  t.equal((await s.call('GET', `/v2/sessions/${sessionId}/transcript?format=DOC`)).status, 400)

  const none = await s.call('GET', `/v2/sessions/${sessionId}/summary`)
  t.equal(none.status, 404)
  t.match(none.json.error.message, /No summary has been generated/)
  const gen = await s.call('POST', `/v2/sessions/${sessionId}/summary`)
  t.same(gen.json, { success: true, data: { success: true, message: 'Success' } })
  const sum = await s.call('GET', `/v2/sessions/${sessionId}/summary`)
  t.equal(sum.json.data.sessionId, sessionId)
  const session = (await s.call('GET', `/v2/sessions/${sessionId}`)).json.data
  t.same(session.meta, {}, 'the session shows none of the simulator\'s bookkeeping')
  const listed = (await s.call('GET', '/v2/sessions')).json.data
  t.same(listed.map((x: any) => x.meta), [{}])
  const md = await fetchFile(s, sum.json.data.summaryDownloadUrl)
  t.match(md.body, /^# Retro\n[\s\S]*Participants: ann, ben/)
  const events = (await s.call('GET', '/_mock/events?type=meeting.summary')).json.data
  t.equal(events.length, 1)
  t.match(events[0].payload, { event: 'meeting.summary', meeting: { sessionId }, summaryDownloadUrl: /^http/ })

  await advance(s, 86400)
  t.equal((await fetchFile(s, chat.json.data.chat_download_url)).statusCode, 403, 'the URL expires on the org clock')
  t.equal((await s.call('GET', '/v2/sessions/00000000-0000-4000-8000-000000000000/chat')).status, 404)
})

t.test('exports: a LIVE session has no transcript yet and cannot be summarised', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  const j = (await join(s, m.id, p.id)).json.data
  t.equal((await s.call('GET', `/v2/sessions/${j.session_id}/transcript`)).status, 404)
  t.equal((await s.call('POST', `/v2/sessions/${j.session_id}/summary`)).status, 400)
  t.equal((await s.call('GET', `/v2/sessions/${j.session_id}/chat`)).status, 200)
})

t.test('session end: persist_chat, transcribe_on_end and summarize_on_end emit their events', async (t) => {
  const s = await build(t)
  await endedSession(s, { title: 'AI', persist_chat: true, transcribe_on_end: true, summarize_on_end: true })
  const types = (await s.call('GET', '/_mock/events')).json.data.map((e: any) => e.type)
  t.same(types.slice(-4), ['meeting.ended', 'meeting.chatSynced', 'meeting.transcript', 'meeting.summary'])
  const chat = (await s.call('GET', '/_mock/events?type=meeting.chatSynced')).json.data[0].payload
  t.match(chat, { event: 'meeting.chatSynced', sessionId: String, meetingId: String, chatDownloadUrl: /^http/, title: 'AI' })
})

t.test('peer report: a peer of any session, with call statistics narrowed by filters', async (t) => {
  const s = await build(t)
  const { sessionId, peers } = await endedSession(s)
  const r = await s.call('GET', `/v2/sessions/peer-report/${peers[1]}?filters=device_info`)
  t.match(r.json.data.participant, { id: peers[1], session_id: sessionId, display_name: 'ben', role: 'group_call_host', duration: 1, peer_stats: { device_info: { browser: 'Chrome' } } })
  t.notOk(r.json.data.participant.peer_stats.ip_information)
  t.equal((await s.call('GET', `/v2/sessions/peer-report/${peers[1]}`, undefined, 'org-b')).status, 404)
})

t.test('analytics: sessions and recordings per day', async (t) => {
  const s = await build(t)
  const { m } = await endedSession(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await advance(s, 2)
  await advance(s, 120)
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  const a = await s.call('GET', '/v2/analytics/daywise?start_date=2030-03-01&end_date=2030-03-01')
  t.same(a.json.data, {
    session_stats: { sessions_count: 1, sessions_minutes_consumed: 3, day_stats: [{ day: '2030-03-01', total_sessions: 1, total_session_minutes: 3 }] },
    recording_stats: { recording_count: 1, recording_minutes_consumed: 2, day_stats: [{ day: '2030-03-01', total_recordings: 1, total_recording_minutes: 2 }] },
  })
  t.equal((await s.call('GET', '/v2/analytics/daywise?start_date=2030-03-02&end_date=2030-03-01')).status, 400)
  t.equal((await s.call('GET', '/v2/analytics/daywise?start_date=2030-03-02&end_date=2030-03-09')).json.data.session_stats.sessions_count, 0)
  t.equal((await s.call('GET', '/v2/analytics/daywise?start_date=yesterday')).status, 400)
})

t.test('track recording: starts like a recording, with its layers', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const r = await s.call('POST', '/v2/recordings/track', { meeting_id: m.id, layers: { default: { file_name_prefix: 'trk', outputs: [{ type: 'DYTE_BUCKET' }] } } })
  t.equal(r.status, 200)
  t.match(r.json.data, { status: 'INVOKED', meeting_id: m.id, output_file_name: /^trk_/ })
  t.equal((await s.call('POST', '/v2/recordings/track', { meeting_id: m.id })).status, 400)
})
