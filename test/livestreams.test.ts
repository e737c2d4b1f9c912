// Livestreams of a meeting: start (and its conflict), the list, the active livestream and stop.
// The org clock is frozen; the simulator's delays (INVOKED → LIVE 3 s, STOPPING → IDLE 2 s) run on it.
import t from 'tap'
import { addParticipant, advance, build, join, meeting } from './helpers.js'

const T0 = '2030-05-10T18:00:00.000Z'
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString()
const NOBODY = '00000000-0000-4000-8000-000000000000'

t.test('startLivestream: 201 with an INVOKED livestream and its ingest details, with no body', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const res = await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  t.equal(res.status, 201)
  t.equal(res.json.success, true)
  const l = res.json.data
  t.match(l, {
    id: /^[0-9a-f-]{36}$/, meeting_id: m.id, name: null, status: 'INVOKED', disabled: false,
    stream_key: /^sk_\S+$/, ingest_server: /^rtmps:\/\/\S+/, playback_url: /^https:\/\/\S+\.m3u8$/, created_at: T0, updated_at: T0,
  })
  t.equal(l.rtmp_url, l.ingest_server, 'rtmp_url (seed) and ingest_server (real API) are the same URL')
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data, [l], 'it is stored as returned')
})

t.test('startLivestream: a name, an empty JSON body, and bad bodies', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const named = await s.call('POST', `/v2/meetings/${(await meeting(s)).id}/livestreams`, { name: 'Launch party' })
  t.equal(named.status, 201)
  t.equal(named.json.data.name, 'Launch party')
  const explicitNull = await s.call('POST', `/v2/meetings/${(await meeting(s)).id}/livestreams`, { name: null })
  t.equal(explicitNull.status, 201)
  t.equal(explicitNull.json.data.name, null)

  const m = await meeting(s)
  const empty = await s.app.inject({
    method: 'POST', url: `/v2/meetings/${m.id}/livestreams`,
    headers: { authorization: 'Basic ' + Buffer.from('org-a:key').toString('base64'), 'content-type': 'application/json' }, payload: '',
  })
  t.equal(empty.statusCode, 201, 'an empty body with a JSON content type counts as no body')
  t.equal(empty.json().data.status, 'INVOKED')

  const other = await meeting(s)
  const badName = await s.call('POST', `/v2/meetings/${other.id}/livestreams`, { name: 5 })
  t.equal(badName.status, 400)
  t.match(badName.json.error.message, /body\/name must be string/)
  t.equal((await s.call('POST', `/v2/meetings/${other.id}/livestreams`, [])).status, 400, 'an array is not a body')
  t.same((await s.call('GET', `/v2/meetings/${other.id}/livestreams`)).json.data, [], 'refused starts create nothing')
})

t.test('startLivestream: 404 for an unknown meeting, 409 while one is active', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const unknown = await s.call('POST', `/v2/meetings/${NOBODY}/livestreams`)
  t.equal(unknown.status, 404)
  t.equal(unknown.json.error.message, `No meeting found with id ${NOBODY}`)
  t.equal((await s.call('POST', '/v2/meetings/nope/livestreams')).status, 400)
  const theirs = await meeting(s, { title: 'Theirs' }, 'org-b')
  t.equal((await s.call('POST', `/v2/meetings/${theirs.id}/livestreams`)).status, 404, 'another org\'s meeting is unknown')

  const m = await meeting(s)
  const first = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`)).json.data
  const second = await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name: 'again' })
  t.equal(second.status, 409)
  t.equal(second.headers['x-should-retry'], 'false')
  t.same(second.json, { success: false, error: { code: 409, message: `Meeting ${m.id} is already being livestreamed (${first.id})` } })
  await advance(s, 3)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/livestreams`)).status, 409, 'a LIVE one blocks a start too')
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data.map((l: any) => l.id), [first.id])
  t.equal((await s.call('POST', `/v2/meetings/${(await meeting(s)).id}/livestreams`)).status, 201, 'other meetings are not affected')
})

t.test('listLivestreams: the meeting\'s livestreams, newest first', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const other = await meeting(s)
  const empty = await s.call('GET', `/v2/meetings/${m.id}/livestreams`)
  t.equal(empty.status, 200)
  t.same(empty.json, { success: true, data: [] })

  const made: string[] = []
  for (const name of ['one', 'two', 'three']) {
    made.unshift((await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name })).json.data.id)
    await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
    await advance(s, 2)
  }
  await s.call('POST', `/v2/meetings/${other.id}/livestreams`, { name: 'elsewhere' })
  const list = await s.call('GET', `/v2/meetings/${m.id}/livestreams`)
  t.same(list.json.data.map((l: any) => l.id), made)
  t.same(list.json.data.map((l: any) => l.name), ['three', 'two', 'one'])
  t.ok(list.json.data.every((l: any) => l.meeting_id === m.id && l.rtmp_url === l.ingest_server))
  t.notOk('paging' in list.json, 'the list is not paged')

  const missing = await s.call('GET', `/v2/meetings/${NOBODY}/livestreams`)
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No meeting found with id ${NOBODY}`)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/livestreams`, undefined, 'org-b')).status, 404)
})

t.test('getActiveLivestream: 200 while INVOKED or LIVE, 404 when there is none', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const none = await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)
  t.equal(none.status, 404)
  t.same(none.json, { success: false, error: { code: 404, message: `No active livestream found for meeting_id ${m.id}` } })

  const l = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name: 'show' })).json.data
  const invoked = await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)
  t.equal(invoked.status, 200)
  t.same(invoked.json.data, l)
  await advance(s, 3)
  const live = await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)
  t.match(live.json.data, { id: l.id, status: 'LIVE', updated_at: at(3), stream_key: l.stream_key })

  const missing = await s.call('GET', `/v2/meetings/${NOBODY}/active-livestream`)
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No meeting found with id ${NOBODY}`)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`, undefined, 'org-b')).status, 404)
})

t.test('stopLivestream: 200 {success, message}; STOPPING, then IDLE and no longer active', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const l = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`)).json.data
  await advance(s, 3)

  const stop = await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
  t.equal(stop.status, 200)
  t.same(stop.json, { success: true, message: 'Stopped live stream successfully', data: { message: 'Stopped live stream successfully' } }, 'the seed message and the real API data.message')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data[0].status, 'STOPPING', 'stopping takes the stop delay')
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)).status, 200, 'stopping a STOPPING livestream again is fine')

  await advance(s, 2)
  const active = await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)
  t.equal(active.status, 404)
  t.equal(active.json.error.message, `No active livestream found for meeting_id ${m.id}`)
  t.match((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data, [{ id: l.id, status: 'IDLE', updated_at: at(5) }])

  const again = await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
  t.equal(again.status, 404, 'nothing left to stop')
  t.same(again.json, { success: false, error: { code: 404, message: `No active livestream found for meeting_id ${m.id}` } })

  const next = await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  t.equal(next.status, 201, 'a new livestream can start once the last is IDLE')
  t.not(next.json.data.id, l.id)
  t.not(next.json.data.stream_key, l.stream_key)
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data.map((x: any) => x.status), ['INVOKED', 'IDLE'])
})

t.test('stopLivestream: an INVOKED livestream stops before it goes live', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)).status, 200)
  await advance(s, 10)
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data.map((l: any) => l.status), ['IDLE'], 'it never became LIVE')
})

t.test('stopLivestream: 404 with none active, for an unknown meeting, or for another org', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const none = await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
  t.equal(none.status, 404)
  t.equal(none.json.error.message, `No active livestream found for meeting_id ${m.id}`)
  const unknown = await s.call('POST', `/v2/meetings/${NOBODY}/active-livestream/stop`)
  t.equal(unknown.status, 404)
  t.equal(unknown.json.error.message, `No meeting found with id ${NOBODY}`)
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`, undefined, 'org-b')).status, 404)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-livestream`)).json.data.status, 'INVOKED', 'another org stopped nothing')
})

t.test('startLivestream: a livestream started before anyone joins a live_stream_on_start meeting is the one kept', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'Auto', live_stream_on_start: true })
  const l = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name: 'early' })).json.data
  const p = await addParticipant(s, m.id, { name: 'host' })
  const joined = await join(s, m.id, p.id)
  t.equal(joined.status, 200, 'joining is not refused because a livestream is already active')
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data.map((x: any) => x.id), [l.id], 'no second livestream')

  const fresh = await meeting(s, { title: 'Auto 2', live_stream_on_start: true })
  const q = await addParticipant(s, fresh.id, { name: 'host' })
  t.equal((await join(s, fresh.id, q.id)).status, 200)
  t.equal((await s.call('GET', `/v2/meetings/${fresh.id}/active-livestream`)).json.data.status, 'INVOKED', 'with none active the session starts one')
})
