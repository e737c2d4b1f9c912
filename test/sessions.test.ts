// The read side of sessions: lists and their filters, one session, its participants (peers),
// one participant with call statistics, and the active-session lookups. Sessions and peers are
// written straight into the store, so every field a test reads back is one it chose.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { build, meeting, ORG, type TestServer } from './helpers.js'
import type { Session, SessionPeer } from '../src/store/sessions.js'

const T0 = Date.parse('2030-03-01T10:00:00.000Z')
/** ISO time `min` minutes after T0. */
const at = (min: number) => new Date(T0 + min * 60_000).toISOString()
const NOBODY = '00000000-0000-4000-8000-000000000000'

/** The org clock stands at T0 + 120 min (LIVE sessions count minutes up to then). */
const NOW = at(120)

function insertSession (s: TestServer, m: { id: string, title?: string | null }, over: Partial<Session> = {}, org = ORG): Session {
  const startedAt = over.started_at ?? at(0)
  return s.app.dyte.store.sessions.insert({
    id: randomUUID(),
    associated_id: m.id,
    meeting_display_name: m.title ?? null,
    type: 'meeting',
    status: 'ENDED',
    live_participants: 0,
    max_concurrent_participants: 1,
    minutes_consumed: 10,
    organization_id: org,
    started_at: startedAt,
    ended_at: over.status === 'LIVE' ? null : at(10),
    created_at: startedAt,
    updated_at: startedAt,
    meta: {},
    breakout_rooms: [],
    ...over,
  })
}

function insertPeer (s: TestServer, session: Session, over: Partial<SessionPeer> = {}): SessionPeer {
  const joinedAt = over.joined_at ?? session.started_at
  return s.app.dyte.store.sessions.insertPeer(session.organization_id, {
    id: randomUUID(),
    participant_id: randomUUID(),
    session_id: session.id,
    display_name: 'someone',
    picture: null,
    preset_name: 'group_call_participant',
    custom_participant_id: 'someone@example.com',
    joined_at: joinedAt,
    left_at: null,
    duration: 0,
    created_at: joinedAt,
    updated_at: joinedAt,
    ...over,
  })
}

const ids = async (s: TestServer, url: string) => {
  const res = await s.call('GET', url)
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data.map((x: { id: string }) => x.id) as string[]
}

t.test('listSessions: newest first, with paging', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s, { title: 'Paging' })
  const a = insertSession(s, m, { started_at: at(0) })
  const b = insertSession(s, m, { started_at: at(10) })
  const c = insertSession(s, m, { started_at: at(20) })

  const all = await s.call('GET', '/v2/sessions')
  t.equal(all.status, 200)
  t.equal(all.json.success, true)
  t.same(all.json.data.map((x: Session) => x.id), [c.id, b.id, a.id], 'started_at descending')
  t.same(all.json.paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  t.same(all.json.data[2], a, 'an ENDED session is shown as stored')

  const p1 = await s.call('GET', '/v2/sessions?per_page=2&page_no=1')
  t.same(p1.json.data.map((x: Session) => x.id), [c.id, b.id])
  t.same(p1.json.paging, { total_count: 3, start_offset: 1, end_offset: 2 })
  const p2 = await s.call('GET', '/v2/sessions?per_page=2&page_no=2')
  t.same(p2.json.data.map((x: Session) => x.id), [a.id])
  t.same(p2.json.paging, { total_count: 3, start_offset: 3, end_offset: 3 })
  const past = await s.call('GET', '/v2/sessions?per_page=2&page_no=3')
  t.same(past.json.data, [])
  t.same(past.json.paging, { total_count: 3, start_offset: 0, end_offset: 0 })

  t.equal((await s.call('GET', '/v2/sessions?per_page=0')).status, 400)
  t.equal((await s.call('GET', '/v2/sessions?page_no=0')).status, 400)
  t.same(await ids(s, '/v2/sessions'), [c.id, b.id, a.id], 'bad requests changed nothing')
})

t.test('listSessions: another org\'s sessions are not listed', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const mine = insertSession(s, await meeting(s))
  const other = await meeting(s, { title: 'Theirs' }, 'org-b')
  const theirs = insertSession(s, other, {}, 'org-b')
  t.same(await ids(s, '/v2/sessions'), [mine.id])
  t.same((await s.call('GET', '/v2/sessions', undefined, 'org-b')).json.data.map((x: Session) => x.id), [theirs.id])
  t.equal((await s.call('GET', `/v2/sessions/${theirs.id}`)).status, 404)
})

t.test('listSessions: associated_id, and meeting_id as its alias, filter by meeting', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m1 = await meeting(s, { title: 'One' })
  const m2 = await meeting(s, { title: 'Two' })
  const a = insertSession(s, m1, { started_at: at(0) })
  const b = insertSession(s, m2, { started_at: at(5) })
  const c = insertSession(s, m1, { started_at: at(10) })
  t.same(await ids(s, `/v2/sessions?associated_id=${m1.id}`), [c.id, a.id])
  t.same(await ids(s, `/v2/sessions?associated_id=${m2.id}`), [b.id])
  t.same(await ids(s, `/v2/sessions?meeting_id=${m1.id}`), [c.id, a.id], 'meeting_id is an alias')
  t.same(await ids(s, `/v2/sessions?associated_id=${NOBODY}`), [])
  const res = await s.call('GET', `/v2/sessions?associated_id=${m2.id}`)
  t.same(res.json.paging, { total_count: 1, start_offset: 1, end_offset: 1 }, 'the count is of the filtered rows')
})

t.test('listSessions: status LIVE or ENDED', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const ended = insertSession(s, m, { started_at: at(0) })
  const live = insertSession(s, m, { started_at: at(30), status: 'LIVE', live_participants: 0 })
  t.same(await ids(s, '/v2/sessions?status=LIVE'), [live.id])
  t.same(await ids(s, '/v2/sessions?status=ENDED'), [ended.id])
  t.same(await ids(s, '/v2/sessions'), [live.id, ended.id])
  const bad = await s.call('GET', '/v2/sessions?status=live')
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /querystring\/status must be one of: LIVE, ENDED/)
})

t.test('listSessions: start_time and end_time bound started_at, both inclusive', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const a = insertSession(s, m, { started_at: at(0) })
  const b = insertSession(s, m, { started_at: at(30) })
  const c = insertSession(s, m, { started_at: at(60) })
  const q = (v: string) => encodeURIComponent(v)
  t.same(await ids(s, `/v2/sessions?start_time=${q(at(30))}`), [c.id, b.id], 'start_time is inclusive')
  t.same(await ids(s, `/v2/sessions?end_time=${q(at(30))}`), [b.id, a.id], 'end_time is inclusive')
  t.same(await ids(s, `/v2/sessions?start_time=${q(at(1))}&end_time=${q(at(59))}`), [b.id])
  t.same(await ids(s, `/v2/sessions?start_time=${q(at(61))}`), [])
  // 10:30 UTC written in another zone and without milliseconds.
  t.same(await ids(s, `/v2/sessions?start_time=${q('2030-03-01T11:30:00+01:00')}&end_time=${q('2030-03-01T11:30:00+01:00')}`), [b.id],
    'times with an offset compare as the instant they name')
  const bad = await s.call('GET', '/v2/sessions?start_time=yesterday')
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /querystring\/start_time must match format "date-time"/)
})

t.test('listSessions: a leap second (23:59:60, valid RFC 3339) in start_time or end_time is not a 500', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const before = insertSession(s, m, { started_at: '2030-12-31T23:59:59.000Z' })
  const midnight = insertSession(s, m, { started_at: '2031-01-01T00:00:00.000Z' })
  const leap = encodeURIComponent('2030-12-31T23:59:60Z')
  const upTo = await s.call('GET', `/v2/sessions?end_time=${leap}`)
  t.equal(upTo.status, 200)
  t.same(upTo.json.data?.map((x: Session) => x.id), [midnight.id, before.id], 'the leap second is the instant after 23:59:59')
  const from = await s.call('GET', `/v2/sessions?start_time=${encodeURIComponent('2030-12-31T23:59:60.500Z')}`)
  t.equal(from.status, 200)
  t.same(from.json.data?.map((x: Session) => x.id), [], 'fractions of the leap second count too')
})

t.test('listSessions: search matches the meeting title, the meeting id or the session id', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m1 = await meeting(s, { title: 'Quarterly Review' })
  const m2 = await meeting(s, { title: '100% done' })
  const a = insertSession(s, m1, { started_at: at(0) })
  const b = insertSession(s, m2, { started_at: at(10) })
  t.same(await ids(s, '/v2/sessions?search=review'), [a.id], 'case-insensitive substring of the title')
  t.same(await ids(s, '/v2/sessions?search=QUARTER'), [a.id])
  t.same(await ids(s, `/v2/sessions?search=${m2.id}`), [b.id], 'the meeting id')
  t.same(await ids(s, `/v2/sessions?search=${a.id}`), [a.id], 'the session id')
  t.same(await ids(s, '/v2/sessions?search=%25'), [b.id], '% is a literal character, not a wildcard')
  t.same(await ids(s, '/v2/sessions?search=_'), [], '_ is a literal character, not a wildcard')
  t.same(await ids(s, '/v2/sessions?search=nothing-like-this'), [])
})

t.test('listSessions: sort_by minutesConsumed or createdAt, in either order', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const a = insertSession(s, m, { started_at: at(0), minutes_consumed: 30 })
  const b = insertSession(s, m, { started_at: at(10), minutes_consumed: 5 })
  const c = insertSession(s, m, { started_at: at(20), minutes_consumed: 12 })
  t.same(await ids(s, '/v2/sessions?sort_by=minutesConsumed'), [a.id, c.id, b.id], 'DESC by default')
  t.same(await ids(s, '/v2/sessions?sort_by=minutesConsumed&sort_order=DESC'), [a.id, c.id, b.id])
  t.same(await ids(s, '/v2/sessions?sort_by=minutesConsumed&sort_order=ASC'), [b.id, c.id, a.id])
  t.same(await ids(s, '/v2/sessions?sort_by=createdAt&sort_order=ASC'), [a.id, b.id, c.id])
  t.same(await ids(s, '/v2/sessions?sort_by=createdAt&sort_order=DESC'), [c.id, b.id, a.id])
  t.same(await ids(s, '/v2/sessions?sort_order=ASC'), [a.id, b.id, c.id], 'createdAt is the default key')

  // A LIVE session's minutes count the people still in it up to now (T0 + 120 min): 0 stored + 100 live.
  const live = insertSession(s, m, { started_at: at(20), status: 'LIVE', minutes_consumed: 0, live_participants: 1 })
  insertPeer(s, live, { joined_at: at(20) })
  t.same(await ids(s, '/v2/sessions?sort_by=minutesConsumed&sort_order=DESC'), [live.id, a.id, c.id, b.id])
  t.equal((await s.call('GET', `/v2/sessions/${live.id}`)).json.data.minutes_consumed, 100)

  t.equal((await s.call('GET', '/v2/sessions?sort_by=duration')).status, 400)
  t.equal((await s.call('GET', '/v2/sessions?sort_order=asc')).status, 400)
})

t.test('listSessions: participants min:max range on max_concurrent_participants', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const one = insertSession(s, m, { started_at: at(0), max_concurrent_participants: 1 })
  const five = insertSession(s, m, { started_at: at(10), max_concurrent_participants: 5 })
  const twenty = insertSession(s, m, { started_at: at(20), max_concurrent_participants: 20 })
  t.same(await ids(s, '/v2/sessions?participants=1:10'), [five.id, one.id], 'both ends inclusive')
  t.same(await ids(s, '/v2/sessions?participants=5:5'), [five.id])
  t.same(await ids(s, '/v2/sessions?participants=2:'), [twenty.id, five.id], 'no upper bound')
  t.same(await ids(s, '/v2/sessions?participants=:5'), [five.id, one.id], 'no lower bound')
  t.same(await ids(s, '/v2/sessions?participants=:'), [twenty.id, five.id, one.id])
  t.same(await ids(s, '/v2/sessions?participants=21:30'), [])
  for (const bad of ['many', '1-10', '1:10:20', '-1:5']) {
    const res = await s.call('GET', `/v2/sessions?participants=${bad}`)
    t.equal(res.status, 400, `participants=${bad} is a 400`)
    t.match(res.json.error.message, /querystring\/participants must match pattern/)
  }
})

t.test('getSession: the session as flat data; 404 for an unknown id', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s, { title: 'Flat' })
  const ended = insertSession(s, m, { minutes_consumed: 42.5, max_concurrent_participants: 3 })
  const res = await s.call('GET', `/v2/sessions/${ended.id}`)
  t.equal(res.status, 200)
  t.same(res.json, { success: true, data: ended })
  t.match(res.json.data, { id: ended.id, associated_id: m.id, meeting_display_name: 'Flat', status: 'ENDED', organization_id: ORG, breakout_rooms: [] })

  // A LIVE session: minutes include the present peers (up to T0 + 120), not the one who left.
  const live = insertSession(s, m, { started_at: at(60), status: 'LIVE', minutes_consumed: 5, live_participants: 1, max_concurrent_participants: 2 })
  insertPeer(s, live, { joined_at: at(60) })
  insertPeer(s, live, { joined_at: at(60), left_at: at(65), duration: 5 })
  const liveBody = (await s.call('GET', `/v2/sessions/${live.id}`)).json.data
  t.match(liveBody, { status: 'LIVE', minutes_consumed: 65, live_participants: 1 })
  t.notOk('ended_at' in liveBody, 'a live session has no ended_at key (not null, not "")')
  t.equal(s.app.dyte.store.sessions.get(ORG, live.id)!.minutes_consumed, 5, 'reading does not write the live minutes')

  const missing = await s.call('GET', `/v2/sessions/${NOBODY}`)
  t.equal(missing.status, 404)
  t.same(missing.json, { success: false, error: { code: 404, message: `No session found with id ${NOBODY}` } })
  t.equal((await s.call('GET', '/v2/sessions/not-a-uuid')).status, 400)
})

t.test('listSessionParticipants: peers with the real fields, paged, in join order', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const session = insertSession(s, m, { started_at: at(0) })
  const other = insertSession(s, m, { started_at: at(0) })
  const ann = insertPeer(s, session, { display_name: 'Ann', custom_participant_id: 'ann@x.io', preset_name: 'group_call_host', joined_at: at(0), left_at: at(30), duration: 30 })
  const bob = insertPeer(s, session, { display_name: 'Bob', custom_participant_id: 'bob@x.io', joined_at: at(5), left_at: at(15), duration: 10 })
  const cat = insertPeer(s, session, { display_name: 'Cat', custom_participant_id: 'cat@x.io', joined_at: at(10), left_at: null })
  insertPeer(s, other, { display_name: 'Elsewhere' })

  const res = await s.call('GET', `/v2/sessions/${session.id}/participants`)
  t.equal(res.status, 200)
  t.same(res.json.data.map((p: any) => p.id), [ann.id, bob.id, cat.id], 'id is the peer id; in join order; other sessions excluded')
  t.same(res.json.paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  t.same(res.json.data[0], {
    id: ann.id, user_id: ann.participant_id, name: 'Ann', display_name: 'Ann', picture: null, preset_name: 'group_call_host',
    custom_participant_id: 'ann@x.io', joined_at: at(0), left_at: at(30), duration: 30, created_at: at(0), updated_at: at(0),
  })
  t.match(res.json.data[2], { id: cat.id, left_at: null, duration: 110 }, 'a present peer\'s duration counts up to now')
  t.notOk('peer_events' in res.json.data[0], 'no peer_events unless asked')

  const page2 = await s.call('GET', `/v2/sessions/${session.id}/participants?per_page=2&page_no=2`)
  t.same(page2.json.data.map((p: any) => p.id), [cat.id])
  t.same(page2.json.paging, { total_count: 3, start_offset: 3, end_offset: 3 })

  const names = async (q: string) => (await s.call('GET', `/v2/sessions/${session.id}/participants${q}`)).json.data.map((p: any) => p.display_name)
  t.same(await names('?sort_order=DESC'), ['Cat', 'Bob', 'Ann'])
  t.same(await names('?sort_by=joinedAt&sort_order=ASC'), ['Ann', 'Bob', 'Cat'])
  // Bob 10, Ann 30, Cat 110: a present peer sorts by the duration shown, not the 0 stored.
  t.same(await names('?sort_by=duration'), ['Bob', 'Ann', 'Cat'], 'durations ascending by default')
  t.same(await names('?sort_by=duration&sort_order=DESC'), ['Cat', 'Ann', 'Bob'])
  t.same(await names('?search=bo'), ['Bob'], 'search matches the display name')
  t.same(await names('?search=CAT@X'), ['Cat'], 'and the custom participant id, case-insensitively')
  t.same(await names('?search=zzz'), [])
  t.equal((await s.call('GET', `/v2/sessions/${session.id}/participants?sort_by=name`)).status, 400)

  const withEvents = await s.call('GET', `/v2/sessions/${session.id}/participants?include_peer_events=true`)
  const [annEv, , catEv] = withEvents.json.data
  t.same(annEv.peer_events.map((e: any) => [e.event_name, e.created_at, e.minutes_consumed]),
    [['PEER_CREATED', at(0), 0], ['PEER_JOINING', at(0), 0], ['PEER_LEAVING', at(30), 30]])
  t.ok(annEv.peer_events.every((e: any) => e.peer_id === ann.id))
  t.same(catEv.peer_events.map((e: any) => e.event_name), ['PEER_CREATED', 'PEER_JOINING'], 'no PEER_LEAVING while present')
  const again = await s.call('GET', `/v2/sessions/${session.id}/participants?include_peer_events=true`)
  t.same(again.json.data[0].peer_events.map((e: any) => e.id), annEv.peer_events.map((e: any) => e.id), 'event ids are stable')

  const empty = await s.call('GET', `/v2/sessions/${insertSession(s, m).id}/participants`)
  t.same(empty.json.data, [])
  t.same(empty.json.paging, { total_count: 0, start_offset: 0, end_offset: 0 })
  const missing = await s.call('GET', `/v2/sessions/${NOBODY}/participants`)
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No session found with id ${NOBODY}`)
})

t.test('RealtimeKit session participants: data.paging, and page_no/per_page as its spec allows them (numbers ≥ 0)', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const session = insertSession(s, m)
  const peers = [0, 1, 2].map((i) => insertPeer(s, session, { joined_at: at(i), display_name: `p${i}` }))
  const get = async (q: string) => {
    const res = await s.app.inject({ url: `/accounts/a/realtime/kit/${ORG}/sessions/${session.id}/participants${q}`, headers: { authorization: 'Bearer x' } })
    return { status: res.statusCode, json: res.json() }
  }
  const all = await get('')
  t.same(all.json.data.participants.map((p: any) => p.id), peers.map((p) => p.id))
  t.same(all.json.data.paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  const second = await get('?page_no=2&per_page=2')
  t.same(second.json.data.participants.map((p: any) => p.id), [peers[2].id])
  t.same(second.json.data.paging, { total_count: 3, start_offset: 3, end_offset: 3 })
  t.same((await get('?page_no=0&per_page=2')).json.data.paging, { total_count: 3, start_offset: 1, end_offset: 2 }, 'page 0 is the first page')
  const empty = await get('?page_no=0&per_page=0')
  t.equal(empty.status, 200)
  t.same(empty.json.data, { participants: [], paging: { total_count: 3, start_offset: 0, end_offset: 0 } }, 'per_page 0: no rows, the count')
  t.same((await get('?page_no=1.5&per_page=1.9')).json.data.paging, { total_count: 3, start_offset: 1, end_offset: 1 }, 'fractions round down')
  t.same((await get('?page_no=100000000000000000000&per_page=100000000000000000000')).json.data.participants, [], 'huge numbers are an empty page, not a 500')
  t.equal((await get('?per_page=-1')).status, 400, 'below the minimum is a 400')
  for (const list of ['meetings', 'presets', 'recordings', 'sessions', 'livestreams']) {
    const res = await s.app.inject({ url: `/accounts/a/realtime/kit/${ORG}/${list}?page_no=0&per_page=1`, headers: { authorization: 'Bearer x' } })
    t.equal(res.statusCode, 200, list)
    t.ok(res.json().paging.start_offset <= 1, `${list}: page 0 starts at the first row`)
  }
  t.equal(s.violations.length, 0)
})

t.test('getSessionParticipant: data.participant with call statistics, narrowed by filters', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const session = insertSession(s, m)
  const other = insertSession(s, m)
  const peer = insertPeer(s, session, { display_name: 'Dee', custom_participant_id: 'dee', joined_at: at(0), left_at: at(12), duration: 12, updated_at: at(12) })
  const url = `/v2/sessions/${session.id}/participants/${peer.id}`

  const res = await s.call('GET', url)
  t.equal(res.status, 200)
  const p = res.json.data.participant
  t.match(p, { id: peer.id, user_id: peer.participant_id, display_name: 'Dee', custom_participant_id: 'dee', preset_name: 'group_call_participant', joined_at: at(0), left_at: at(12), duration: 12 })
  t.same(Object.keys(p.peer_stats).sort(), ['device_info', 'events', 'ip_information', 'precall_network_information'], 'no filters: all statistics')
  t.same(p.peer_stats.events, [{ timestamp: at(0), type: 'PEER_JOINED' }, { timestamp: at(12), type: 'PEER_LEFT' }])
  t.match(p.quality_stats, [{ peer_id: peer.id, start: at(0), end: at(12) }])
  t.notOk('peer_events' in p)

  const device = (await s.call('GET', `${url}?filters=device_info`)).json.data.participant
  t.same(Object.keys(device.peer_stats), ['device_info'])
  t.notOk('quality_stats' in device, 'quality_stats only when asked for')
  const two = (await s.call('GET', `${url}?filters=ip_information,precall_network_information`)).json.data.participant
  t.same(Object.keys(two.peer_stats).sort(), ['ip_information', 'precall_network_information'])
  const quality = (await s.call('GET', `${url}?filters=quality_stats`)).json.data.participant
  t.same(quality.peer_stats, {})
  t.equal(quality.quality_stats.length, 1)
  const events = (await s.call('GET', `${url}?filters=events`)).json.data.participant
  t.same(Object.keys(events.peer_stats), ['events'])
  t.same(events.peer_events.map((e: any) => e.event_name), ['PEER_CREATED', 'PEER_JOINING', 'PEER_LEAVING'], 'the events filter brings peer_events too')
  const withEvents = (await s.call('GET', `${url}?include_peer_events=true`)).json.data.participant
  t.equal(withEvents.peer_events.length, 3)

  for (const bad of ['device', 'device_info,', 'device_info, events']) {
    t.equal((await s.call('GET', `${url}?filters=${encodeURIComponent(bad)}`)).status, 400, `filters=${bad} is a 400`)
  }
  const unknownPeer = await s.call('GET', `/v2/sessions/${session.id}/participants/${NOBODY}`)
  t.equal(unknownPeer.status, 404)
  t.equal(unknownPeer.json.error.message, `No participant found with id ${NOBODY}`)
  t.equal((await s.call('GET', `/v2/sessions/${other.id}/participants/${peer.id}`)).status, 404, 'a peer of another session is not found')
  t.equal((await s.call('GET', `/v2/sessions/${NOBODY}/participants/${peer.id}`)).status, 404)
  t.equal((await s.call('GET', url, undefined, 'org-b')).status, 404, 'nor from another org')
})

t.test('getActiveSession: the LIVE session of a meeting on both paths, else 404', async (t) => {
  const s = await build(t, { frozenAt: NOW })
  const m = await meeting(s)
  const quiet = await meeting(s, { title: 'Quiet' })
  insertSession(s, m, { started_at: at(0) })
  insertSession(s, quiet, { started_at: at(0) })
  const live = insertSession(s, m, { started_at: at(100), status: 'LIVE', minutes_consumed: 3, live_participants: 1, max_concurrent_participants: 1 })
  insertPeer(s, live, { joined_at: at(100) })

  for (const url of [`/v2/active-sessions/${m.id}`, `/v2/meetings/${m.id}/active-session`]) {
    const res = await s.call('GET', url)
    t.equal(res.status, 200, url)
    t.match(res.json, { success: true, data: { id: live.id, associated_id: m.id, status: 'LIVE', minutes_consumed: 23, ended_at: null } })
  }
  for (const id of [quiet.id, NOBODY]) {
    for (const url of [`/v2/active-sessions/${id}`, `/v2/meetings/${id}/active-session`]) {
      const res = await s.call('GET', url)
      t.equal(res.status, 404, url)
      t.same(res.json, { success: false, error: { code: 404, message: `No active session found for meeting_id ${id}` } })
    }
  }
  t.equal((await s.call('GET', `/v2/active-sessions/${m.id}`, undefined, 'org-b')).status, 404, 'another org sees no session')
  t.equal((await s.call('GET', '/v2/active-sessions/not-a-uuid')).status, 400)

  // Once the session has ended there is no active session.
  s.app.dyte.store.sessions.update({ ...live, status: 'ENDED', ended_at: at(110) })
  const after = await s.call('GET', `/v2/meetings/${m.id}/active-session`)
  t.equal(after.status, 404)
  t.equal(after.json.error.message, `No active session found for meeting_id ${m.id}`)
})

t.test('date-time parameters: a leap second is a 200 wherever a date-time is accepted, never a 500', async (t) => {
  const s = await build(t)
  const leap = encodeURIComponent('2030-12-31T23:59:60Z')
  for (const url of [
    `/v2/sessions?start_time=${leap}`, `/v2/recordings?end_time=${leap}`, `/v2/meetings?start_time=${leap}`,
    `/v2/livestreams?end_time=${leap}`, `/v2/analytics/livestreams/overall?end_time=${leap}`, `/_mock/events?since=${leap}`,
  ]) {
    t.equal((await s.call('GET', url)).status, 200, url)
  }
  const frozenAt = await s.call('POST', '/_mock/clock', { frozen: true, now: '2030-12-31T23:59:60Z' })
  t.equal(frozenAt.status, 200, 'setClock with a leap second')
  t.same(frozenAt.json.data, { now: '2031-01-01T00:00:00.000Z', frozen: true })
  t.equal((await s.call('GET', '/_mock/clock')).status, 200, 'and the org clock still works after it')
})
