// Independent livestreams, livestream sessions, enable/disable, stream keys and analytics.
import t from 'tap'
import { addParticipant, advance, build, join, meeting } from './helpers.js'

const T0 = '2030-05-01T12:00:00.000Z'

t.test('livestreams: an independent livestream goes live when an encoder connects', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const created = await s.call('POST', '/v2/livestreams', { name: 'radio' })
  t.equal(created.status, 201)
  const l = created.json.data
  t.match(l, { name: 'radio', status: 'IDLE', meeting_id: null, disabled: false, stream_key: /^sk_/, ingest_server: /^rtmps:\/\// })
  t.equal((await s.call('POST', '/v2/livestreams', { name: 'bad name!' })).status, 400)
  t.equal((await s.call('GET', `/v2/livestreams/${l.id}/active-livestream-session`)).status, 404)

  const live = await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: true })
  t.equal(live.json.data.status, 'LIVE')
  t.equal((await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: true })).status, 400)
  const active = (await s.call('GET', `/v2/livestreams/${l.id}/active-livestream-session`)).json.data
  t.match(active, { livestream: { id: l.id, status: 'LIVE' }, session: { livestream_id: l.id, started_time: T0, stopped_time: null } })
  await advance(s, 90)
  await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: false })
  const session = (await s.call('GET', `/v2/livestreams/sessions/${active.session.id}`)).json.data
  t.match(session, { id: active.session.id, ingest_seconds: 90, viewer_seconds: 0, stopped_time: '2030-05-01T12:01:30.000Z' })
  const one = (await s.call('GET', `/v2/livestreams/${l.id}`)).json.data
  t.match(one, { livestream: { status: 'IDLE' }, session: { id: active.session.id }, paging: { total_count: 1 } })
  const statuses = (await s.call('GET', '/_mock/events?type=livestreaming.statusUpdate')).json.data.map((e: any) => e.payload.status)
  t.same(statuses, ['LIVE', 'OFFLINE'], 'the webhook says OFFLINE when the stream ends (REST says IDLE)')

  const disabled = await s.call('PUT', `/v2/livestreams/${l.id}/disable`)
  t.equal(disabled.json.data.disabled, true)
  t.equal((await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: true })).status, 400, 'a disabled livestream refuses ingest')
  t.equal((await s.call('PUT', `/v2/livestreams/${l.id}/enable`)).json.data.disabled, false)
  const reset = await s.call('POST', `/v2/livestreams/${l.id}/reset-stream-key`)
  t.not(reset.json.data.stream_key, l.stream_key)
  t.equal((await s.call('GET', `/v2/livestreams/${l.id}`, undefined, 'org-b')).status, 404)

  const overall = await s.call('GET', `/v2/analytics/livestreams/overall?start_time=${encodeURIComponent('2030-05-01T00:00:00Z')}&end_time=${encodeURIComponent('2030-05-02T00:00:00Z')}`)
  t.same(overall.json.data, { count: 1, total_ingest_seconds: 90, total_viewer_seconds: 0 })
  const daywise = await s.call('GET', '/v2/analytics/livestreams/daywise')
  t.same(daywise.json.data, [{ date: '2030-05-01', count: 1, total_ingest_seconds: 90, total_viewer_seconds: 0 }])
})

t.test('livestreams: list with filters, and a meeting livestream tied to its session', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await s.call('POST', '/v2/livestreams', { name: 'own' })
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  const j = (await join(s, m.id, p.id)).json.data
  const ml = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name: 'show' })).json.data
  await advance(s, 3)
  await advance(s, 60)
  await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
  await advance(s, 2)

  const all = await s.call('GET', '/v2/livestreams')
  t.same(all.json.data.map((l: any) => l.name), ['show', 'own'], 'newest first')
  t.equal(all.json.paging.total_count, 2)
  t.same((await s.call('GET', '/v2/livestreams?exclude_meetings=true')).json.data.map((l: any) => l.name), ['own'])
  t.same((await s.call('GET', '/v2/livestreams?sort_order=ASC')).json.data.map((l: any) => l.name), ['own', 'show'])
  t.same((await s.call('GET', '/v2/livestreams?status=IDLE')).json.data.length, 2)

  const byMeeting = (await s.call('GET', `/v2/meetings/${m.id}/livestream`)).json.data
  t.same(byMeeting.livestreams.map((l: any) => l.id), [ml.id])
  t.match(byMeeting.sessions, [{ livestream_id: ml.id, started_time: '2030-05-01T12:00:03.000Z', ingest_seconds: 62 }])
  const bySession = (await s.call('GET', `/v2/sessions/${j.session_id}/livestream-sessions`)).json.data
  t.equal(bySession.data.length, 1)
  t.equal(bySession.paging.total_count, 1)
})

t.test('livestreams: the same through RealtimeKit paths', async (t) => {
  const s = await build(t)
  const H = { authorization: 'Bearer x', 'content-type': 'application/json' }
  const base = '/client/v4/accounts/a/realtime/kit/org-a'
  const created = await s.app.inject({ method: 'POST', url: `${base}/livestreams`, headers: H, payload: { name: 'rtk' } })
  t.equal(created.statusCode, 201)
  const list = await s.app.inject({ url: `${base}/livestreams`, headers: H })
  t.same(list.json().data.map((l: any) => l.name), ['rtk'])
  t.equal(list.json().paging.total_count, 1)
  const overall = await s.app.inject({ url: `${base}/analytics/livestreams/overall`, headers: H })
  t.same(overall.json().data, { count: 0, total_ingest_seconds: 0, total_viewer_seconds: 0 })
})

t.test('livestream analytics through RealtimeKit take Unix timestamps in seconds, as its spec declares', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const l = (await s.call('POST', '/v2/livestreams', { name: 'radio' })).json.data
  await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: true })
  await advance(s, 90)
  await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: false })
  const get = async (q: string) => {
    const res = await s.app.inject({ url: `/accounts/a/realtime/kit/org-a/analytics/livestreams/${q}`, headers: { authorization: 'Bearer x' } })
    return { status: res.statusCode, json: res.json() }
  }
  const day = Date.parse('2030-05-01T00:00:00Z') / 1000
  const overall = await get(`overall?start_time=${day}&end_time=${day + 86_400}`)
  t.equal(overall.status, 200)
  t.same(overall.json.data, { count: 1, total_ingest_seconds: 90, total_viewer_seconds: 0 })
  t.same((await get(`overall?start_time=${day + 86_400}&end_time=${day + 2 * 86_400}`)).json.data, { count: 0, total_ingest_seconds: 0, total_viewer_seconds: 0 })
  const daywise = await get(`daywise?start_time=${day}&end_time=${day + 86_400}`)
  t.equal(daywise.status, 200)
  t.same(daywise.json.data, [{ date: '2030-05-01', count: 1, total_ingest_seconds: 90, total_viewer_seconds: 0 }])
  t.same((await get('overall?start_time=-99999999999999&end_time=99999999999999')).json.data.count, 1, 'bounds beyond the representable years select everything')
  const reversed = await get(`overall?start_time=${day + 86_400}&end_time=${day}`)
  t.equal(reversed.status, 400)
  t.match(reversed.json.error.message, /is after end_time/)
  t.equal((await get('overall?start_time=2030-05-01T00:00:00Z')).status, 400, 'an ISO time is not the integer RealtimeKit declares')
  t.equal((await get('daywise?end_time=soon')).status, 400)
  t.equal(s.violations.length, 0)
})

/** A server on a frozen clock, called through RealtimeKit's layout for the app org-a. */
async function frozenRealtimeKit (t: Parameters<typeof build>[0]) {
  const s = await build(t, { frozenAt: T0 })
  const H = { authorization: 'Bearer x', 'content-type': 'application/json' }
  const base = '/accounts/a/realtime/kit/org-a'
  const get = async (url: string) => (await s.app.inject({ url: base + url, headers: H })).json()
  return { s, H, base, get }
}

t.test('livestreams through RealtimeKit show only its statuses: STOPPING is LIVE until the livestream is IDLE', async (t) => {
  const { s, H, base, get } = await frozenRealtimeKit(t)
  const m = await meeting(s)
  const started = await s.app.inject({ method: 'POST', url: `${base}/meetings/${m.id}/livestreams`, headers: H, payload: { name: 'show' } })
  t.equal(started.json().data.status, 'INVOKED')
  const id = started.json().data.id
  await advance(s, 3)
  await s.app.inject({ method: 'POST', url: `${base}/meetings/${m.id}/active-livestream/stop`, headers: H })

  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)).json.data.status, 'STOPPING', '/v2 shows the simulator\'s status')
  t.equal((await get(`/meetings/${m.id}/active-livestream`)).data.status, 'LIVE')
  t.same((await get('/livestreams')).data.map((l: any) => l.status), ['LIVE'])
  t.same((await get('/livestreams?status=LIVE')).data.map((l: any) => l.id), [id], 'a status filter matches the status shown')
  t.same((await get('/livestreams?status=IDLE')).data, [])
  t.equal((await get(`/livestreams/${id}`)).data.livestream.status, 'LIVE')
  t.equal((await get(`/livestreams/${id}/active-livestream-session`)).data.livestream.status, 'LIVE')
  t.same((await get(`/meetings/${m.id}/livestream`)).data.livestreams.map((l: any) => l.status), ['LIVE'])

  await advance(s, 2)
  t.same((await get('/livestreams')).data.map((l: any) => l.status), ['IDLE'])
  t.same((await get('/livestreams?status=IDLE')).data.map((l: any) => l.id), [id])
  t.equal(s.violations.length, 0, 'every answer matches realtimekit.json')
})

t.test('RealtimeKit leaves out unknown values its spec declares non-nullable, instead of sending ""', async (t) => {
  const { s, get } = await frozenRealtimeKit(t)
  const l = (await s.call('POST', '/v2/livestreams', {})).json.data
  t.match(l, { name: null, meeting_id: null }, '/v2 declares them nullable and sends null')
  const listed = (await get('/livestreams')).data[0]
  t.equal(listed.id, l.id)
  t.notOk('name' in listed, 'no name: left out, not ""')
  t.notOk('meeting_id' in listed)
  await s.call('POST', `/_mock/livestreams/${l.id}/ingest`, { live: true })
  const active = (await get(`/livestreams/${l.id}/active-livestream-session`)).data
  t.match(active.session, { livestream_id: l.id, started_time: T0 })
  t.notOk('stopped_time' in active.session, 'an open livestream session has no stopped_time')
  t.notOk('stopped_time' in (await get(`/livestreams/${l.id}`)).data.session)
  t.equal((await s.call('GET', `/v2/livestreams/${l.id}`)).json.data.session.stopped_time, null)

  const m = await meeting(s)
  const p = await addParticipant(s, m.id, { name: 'Ann' })
  const j = (await join(s, m.id, p.id)).json.data
  const people = (await get(`/sessions/${j.session_id}/participants`)).data.participants
  t.equal(people.length, 1)
  t.notOk('left_at' in people[0], 'a present participant has no left_at')
  t.notOk('left_at' in (await get(`/sessions/${j.session_id}/participants/${j.peer_id}`)).data.participant)
  t.notOk('left_at' in (await get(`/sessions/peer-report/${j.peer_id}`)).data.participant)
  t.equal(s.violations.length, 0, 'every answer matches realtimekit.json')
})
