// The real API's list filters on sessions, session participants and recordings.
import t from 'tap'
import { addParticipant, advance, build, join, meeting, type TestServer } from './helpers.js'

const T0 = '2030-06-01T09:00:00.000Z'
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString()

async function session (s: TestServer, title: string, people: string[], minutes: number) {
  const m = await meeting(s, { title })
  const joined = []
  for (const name of people) {
    const p = await addParticipant(s, m.id, { name, custom_participant_id: `c-${name}` })
    joined.push((await join(s, m.id, p.id)).json.data)
  }
  await advance(s, minutes * 60)
  return { m, sessionId: joined[0].session_id as string }
}

t.test('sessions: filters, search, sorting and participant ranges', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const a = await session(s, 'Alpha review', ['ann'], 10)
  await s.call('POST', `/_mock/meetings/${a.m.id}/active-session/end`)
  const b = await session(s, 'Beta planning', ['bob', 'bea', 'ben'], 5)
  const ids = (q: string) => s.call('GET', `/v2/sessions${q}`).then((r) => r.json.data.map((x: any) => x.id))

  t.same(await ids(''), [b.sessionId, a.sessionId], 'newest first')
  t.same(await ids(`?associated_id=${a.m.id}`), [a.sessionId])
  t.same(await ids(`?meeting_id=${b.m.id}`), [b.sessionId], 'meeting_id is an alias of associated_id')
  t.same(await ids('?status=ENDED'), [a.sessionId])
  t.same(await ids('?status=LIVE'), [b.sessionId])
  t.same(await ids('?search=beta'), [b.sessionId], 'search matches the meeting title')
  t.same(await ids(`?search=${a.sessionId}`), [a.sessionId], 'and the session id')
  t.same(await ids(`?search=${b.m.id}`), [b.sessionId], 'and the meeting id')
  t.same(await ids('?sort_by=minutesConsumed&sort_order=DESC'), [b.sessionId, a.sessionId], 'b: 3 people × 5 min = 15 > 10')
  t.same(await ids('?sort_order=ASC'), [a.sessionId, b.sessionId])
  t.same(await ids('?participants=2:'), [b.sessionId])
  t.same(await ids('?participants=:1'), [a.sessionId])
  t.same(await ids(`?start_time=${encodeURIComponent(at(300))}`), [b.sessionId])
  t.same(await ids(`?end_time=${encodeURIComponent(at(300))}`), [a.sessionId])
  t.equal((await s.call('GET', '/v2/sessions?participants=many')).status, 400)
  const page = await s.call('GET', '/v2/sessions?per_page=1&page_no=2')
  t.same(page.json.paging, { total_count: 2, start_offset: 2, end_offset: 2 })
  t.match((await s.call('GET', `/v2/sessions/${b.sessionId}`)).json.data, { status: 'LIVE', live_participants: 3, minutes_consumed: 15, meeting_display_name: 'Beta planning' })

  const peers = (q: string) => s.call('GET', `/v2/sessions/${b.sessionId}/participants${q}`).then((r) => r.json.data.map((x: any) => x.display_name))
  t.same(await peers(''), ['bob', 'bea', 'ben'], 'in join order')
  t.same(await peers('?sort_order=DESC'), ['ben', 'bea', 'bob'])
  t.same(await peers('?search=be'), ['bea', 'ben'])
  t.same(await peers('?search=c-bob'), ['bob'], 'search also matches custom_participant_id')
  const withEvents = (await s.call('GET', `/v2/sessions/${a.sessionId}/participants?include_peer_events=true`)).json.data[0]
  t.same(withEvents.peer_events.map((e: any) => e.event_name), ['PEER_CREATED', 'PEER_JOINING', 'PEER_LEAVING'])
  t.notOk('peer_events' in (await s.call('GET', `/v2/sessions/${a.sessionId}/participants`)).json.data[0])
})

t.test('recordings: filters on meeting, status, time, search and expiry', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await s.call('PATCH', '/_mock/settings', { download_url_ttl_s: 60 })
  const m1 = await meeting(s, { title: 'Design' })
  const m2 = await meeting(s, { title: 'Sales' })
  const r1 = (await s.call('POST', '/v2/recordings', { meeting_id: m1.id, file_name_prefix: 'design' })).json.data
  await advance(s, 2)
  await s.call('PUT', `/v2/recordings/${r1.id}`, { action: 'stop' })
  await advance(s, 5)
  const r2 = (await s.call('POST', '/v2/recordings', { meeting_id: m2.id })).json.data
  const ids = (q: string) => s.call('GET', `/v2/recordings${q}`).then((r) => r.json.data.map((x: any) => x.id))

  t.same(await ids(''), [r2.id, r1.id])
  t.same(await ids(`?meeting_id=${m1.id}`), [r1.id])
  t.same(await ids('?status=UPLOADED'), [r1.id])
  t.same(await ids('?status=INVOKED,UPLOADED'), [r2.id, r1.id])
  t.same(await ids('?status=INVOKED&status=RECORDING'), [r2.id], 'repeated parameters work too')
  t.same(await ids('?search=sales'), [r2.id], 'search matches the meeting title')
  t.same(await ids('?search=design_'), [r1.id], 'and the output file name')
  t.same(await ids('?sort_order=ASC'), [r1.id, r2.id])
  t.same(await ids(`?start_time=${encodeURIComponent(at(5))}`), [r2.id])
  t.same(await ids('?expired=false'), [r2.id, r1.id])
  await advance(s, 61)
  t.same(await ids('?expired=true'), [r1.id], 'the download URL expired on the org clock')
  t.same(await ids('?expired=false'), [r2.id])
  const listed = (await s.call('GET', `/v2/recordings?meeting_id=${m1.id}`)).json.data[0]
  t.match(listed.meeting, { id: m1.id, title: 'Design' }, 'list items carry their meeting')
})

t.test('search: ids match case-insensitively, as substrings', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'Zeta' })
  const part = m.id.slice(4, 13).toUpperCase()
  t.same((await s.call('GET', `/v2/meetings?search=${part}`)).json.data.map((x: any) => x.id), [m.id])
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  t.same((await s.call('GET', `/v2/recordings?search=${r.id.toUpperCase()}`)).json.data.map((x: any) => x.id), [r.id])
  const p = await addParticipant(s, m.id)
  const j = (await join(s, m.id, p.id)).json.data
  t.same((await s.call('GET', `/v2/sessions?search=${j.session_id.slice(0, 8).toUpperCase()}`)).json.data.map((x: any) => x.id), [j.session_id])
  t.equal((await s.call('GET', '/v2/meetings?search=%25')).json.paging.total_count, 0, 'a % is matched literally')
})

t.test('total_count: exact per org, unfiltered or filtered, through resets and snapshot restores', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const titles = ['one', 'two', 'three']
  for (const title of titles) await meeting(s, { title })
  await meeting(s, { title: 'elsewhere' }, 'org-b')
  const list = async (q = '', org?: string) => (await s.call('GET', `/v2/meetings${q}`, undefined, org)).json
  t.same((await list()).paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  t.same((await list('', 'org-b')).paging.total_count, 1, 'another org counts its own')
  t.same((await list('?search=t')).paging.total_count, 2, 'a filter counts the matching rows (t is in no id)')
  t.same((await list('?status=INACTIVE')).paging.total_count, 0)

  const page2 = await list('?per_page=2&page_no=2')
  t.same(page2.data.map((m: any) => m.title), ['one'], 'a later page holds the rows past the offset, newest first')
  t.same(page2.paging, { total_count: 3, start_offset: 3, end_offset: 3 })
  t.same((await list('?per_page=2&page_no=1')).data.map((m: any) => m.title), ['three', 'two'])

  t.equal((await s.call('POST', '/_mock/snapshots', { name: 'three' })).status, 201)
  await meeting(s, { title: 'four' })
  await meeting(s, { title: 'five' })
  t.equal((await list()).paging.total_count, 5)
  t.equal((await s.call('POST', '/_mock/snapshots/three/restore')).status, 200)
  t.equal((await list()).paging.total_count, 3, 'a restore brings the count back with the rows')
  t.equal((await list('?search=fiv')).paging.total_count, 0, 'filtered counts too (v is in no id)')

  const r = (await s.call('POST', '/v2/recordings', { meeting_id: (await list()).data[0].id })).json.data
  t.equal((await s.call('GET', '/v2/recordings')).json.paging.total_count, 1)
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  t.same((await list()).paging, { total_count: 0, start_offset: 0, end_offset: 0 }, 'a reset empties the count')
  t.equal((await s.call('GET', '/v2/recordings')).json.paging.total_count, 0)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).status, 404)
  await meeting(s, { title: 'after' })
  t.equal((await list()).paging.total_count, 1, 'and counts from zero again')
  t.equal((await list('', 'org-b')).paging.total_count, 1, 'the other org is untouched')
})
