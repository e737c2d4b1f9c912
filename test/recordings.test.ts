// Recordings: start (and its conflicts), get, list with every filter, the PUT actions and their
// lifecycle rules, and the active-recording lookups. The org clock is frozen, so every time
// a test reads back is exact; the simulator's delays (start 2 s, upload 5 s) run on it.
import t from 'tap'
import { addParticipant, advance, build, join, meeting, type TestServer } from './helpers.js'

const T0 = '2030-04-01T08:00:00.000Z'
/** ISO time `s` seconds after T0. */
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString()
const NOBODY = '00000000-0000-4000-8000-000000000000'

async function start (s: TestServer, body: Record<string, unknown>) {
  const res = await s.call('POST', '/v2/recordings', body)
  if (res.status !== 201) throw new Error(`startRecording: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data as { id: string, [k: string]: any }
}
const act = (s: TestServer, id: string, action: string) => s.call('PUT', `/v2/recordings/${id}`, { action })
const listIds = async (s: TestServer, q = '') => {
  const res = await s.call('GET', `/v2/recordings${q}`)
  if (res.status !== 200) throw new Error(`listRecordings${q}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data.map((r: { id: string }) => r.id) as string[]
}

t.test('startRecording: 201 with an INVOKED recording, readable by id', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const res = await s.call('POST', '/v2/recordings', { meeting_id: m.id })
  t.equal(res.status, 201, 'the seed\'s status code')
  t.equal(res.json.success, true)
  const r = res.json.data
  t.match(r.id, /^[0-9a-f-]{36}$/)
  t.same(r, {
    id: r.id,
    meeting_id: m.id,
    session_id: null,
    status: 'INVOKED',
    output_file_name: `${m.id}_${Date.parse(T0)}.mp4`,
    download_url: null,
    download_url_expiry: null,
    audio_download_url: null,
    file_size: null,
    invoked_time: T0,
    started_time: null,
    stopped_time: null,
    recording_duration: 0,
    storage_config: null,
    start_reason: { reason: 'API_CALL', caller: { type: 'ORGANIZATION' } },
    stop_reason: null,
  })
  const got = await s.call('GET', `/v2/recordings/${r.id}`)
  t.equal(got.status, 200)
  t.same(got.json, { success: true, data: r }, 'GET returns what POST returned')
  t.same(await listIds(s), [r.id])

  const prefixed = await start(s, { meeting_id: (await meeting(s)).id, file_name_prefix: 'weekly' })
  t.match(prefixed.output_file_name, /^weekly_[0-9a-f-]{36}_\d+\.mp4$/)
})

t.test('startRecording: session_id is null with no live session, and the live session\'s id once RECORDING', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const quiet = await start(s, { meeting_id: (await meeting(s)).id })
  await advance(s, 2)
  t.match((await s.call('GET', `/v2/recordings/${quiet.id}`)).json.data, { status: 'RECORDING', session_id: null, started_time: at(2) })

  const m = await meeting(s)
  const p = await addParticipant(s, m.id, { name: 'host' })
  const joined = (await join(s, m.id, p.id)).json.data
  const r = await start(s, { meeting_id: m.id })
  // Documented (docs/fidelity.md): session_id and started_time are set when the recorder starts.
  t.match(r, { status: 'INVOKED', session_id: null })
  await advance(s, 2)
  t.match((await s.call('GET', `/v2/recordings/${r.id}`)).json.data, { status: 'RECORDING', session_id: joined.session_id, started_time: at(4) })
})

t.test('startRecording: 404 for an unknown meeting, 400 for a bad body; nothing is created', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const unknown = await s.call('POST', '/v2/recordings', { meeting_id: NOBODY })
  t.equal(unknown.status, 404)
  t.same(unknown.json, { success: false, error: { code: 404, message: `No meeting found with id ${NOBODY}` } })
  const theirs = await meeting(s, { title: 'Theirs' }, 'org-b')
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: theirs.id })).status, 404, 'another org\'s meeting is unknown')

  const missing = await s.call('POST', '/v2/recordings', {})
  t.equal(missing.status, 400)
  t.match(missing.json.error.message, /body must have required property 'meeting_id'/)
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: 'abc' })).status, 400)
  t.equal((await s.call('POST', '/v2/recordings')).status, 400, 'no body')
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: (await meeting(s)).id, max_seconds: 5 })).status, 400, 'max_seconds below 60')
  t.same(await listIds(s), [], 'no recording was created')
})

t.test('startRecording: a second start while one is active is a 409 unless allow_multiple_recordings', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const first = await start(s, { meeting_id: m.id })
  const second = await s.call('POST', '/v2/recordings', { meeting_id: m.id })
  t.equal(second.status, 409)
  t.equal(second.headers['x-should-retry'], 'false')
  t.equal(second.json.success, false)
  t.equal(second.json.error.code, 409)
  t.match(second.json.error.message, new RegExp(`already has an active recording \\(${first.id}\\)`))
  t.same(await listIds(s), [first.id], 'the refused start created nothing')

  const other = await start(s, { meeting_id: (await meeting(s)).id })
  t.ok(other.id, 'another meeting is not affected')

  await advance(s, 1)
  const multiple = await s.call('POST', '/v2/recordings', { meeting_id: m.id, allow_multiple_recordings: true })
  t.equal(multiple.status, 201)
  t.equal(multiple.json.data.status, 'INVOKED')
  t.same(await listIds(s, `?meeting_id=${m.id}`), [multiple.json.data.id, first.id])

  // Once none is active (UPLOADING is not active), a plain start works again.
  await act(s, first.id, 'stop')
  await act(s, multiple.json.data.id, 'stop')
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: m.id })).status, 201)
})

t.test('getRecording: 404 for an unknown id or another org\'s, 400 for a malformed id', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const r = await start(s, { meeting_id: (await meeting(s)).id })
  const missing = await s.call('GET', `/v2/recordings/${NOBODY}`)
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No recording found with id ${NOBODY}`)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`, undefined, 'org-b')).status, 404)
  t.equal((await s.call('GET', '/v2/recordings/xyz')).status, 400)
})

t.test('updateRecording: pause, resume and stop follow the lifecycle', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const r = await start(s, { meeting_id: m.id })

  const early = await act(s, r.id, 'pause')
  t.equal(early.status, 400, 'an INVOKED recording cannot be paused')
  t.equal(early.json.error.message, `Cannot pause recording ${r.id}: it is INVOKED (pause needs RECORDING)`)
  const resumeInvoked = await act(s, r.id, 'resume')
  t.equal(resumeInvoked.status, 400)
  t.equal(resumeInvoked.json.error.message, `Cannot resume recording ${r.id}: it is INVOKED (resume needs PAUSED)`)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'INVOKED', 'refused actions change nothing')

  await advance(s, 2)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'RECORDING')
  t.equal((await act(s, r.id, 'resume')).status, 400, 'a RECORDING recording cannot be resumed')
  await advance(s, 10)
  const paused = await act(s, r.id, 'pause')
  t.equal(paused.status, 200)
  t.match(paused.json.data, { id: r.id, status: 'PAUSED', recording_duration: 10 })
  t.equal((await act(s, r.id, 'pause')).status, 400, 'pausing twice is refused')
  await advance(s, 100)
  const resumed = await act(s, r.id, 'resume')
  t.match(resumed.json.data, { status: 'RECORDING', recording_duration: 10 })
  await advance(s, 5)

  const stopped = await act(s, r.id, 'stop')
  t.equal(stopped.status, 200)
  t.match(stopped.json.data, {
    status: 'UPLOADING', stopped_time: at(117), recording_duration: 15, download_url: null,
    stop_reason: { reason: 'API_CALL', caller: { type: 'ORGANIZATION' } },
  })
  t.same((await s.call('GET', `/v2/recordings/${r.id}`)).json.data, stopped.json.data, 'the stop is stored')
  for (const action of ['stop', 'pause', 'resume']) {
    const res = await act(s, r.id, action)
    t.equal(res.status, 400, `${action} an UPLOADING recording is a 400`)
    t.match(res.json.error.message, new RegExp(`Cannot ${action} recording ${r.id}: it is UPLOADING`))
  }

  await advance(s, 5)
  const uploaded = (await s.call('GET', `/v2/recordings/${r.id}`)).json.data
  t.match(uploaded, { status: 'UPLOADED', download_url: /^http:\/\/.+\/_mock\/files\//, download_url_expiry: at(122 + 86_400), file_size: Number })
  t.equal((await act(s, r.id, 'stop')).status, 400, 'an UPLOADED recording cannot be stopped')
})

t.test('updateRecording: an INVOKED recording can be stopped at once', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const r = await start(s, { meeting_id: (await meeting(s)).id })
  const res = await act(s, r.id, 'stop')
  t.equal(res.status, 200)
  t.match(res.json.data, { status: 'UPLOADING', stopped_time: T0, started_time: null, recording_duration: 0 })
  await advance(s, 10)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADED', 'it does not start after being stopped')
})

t.test('updateRecording: 400 for an unknown or missing action, 404 for an unknown recording', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const r = await start(s, { meeting_id: (await meeting(s)).id })
  const bad = await act(s, r.id, 'rewind')
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /body\/action must be one of: stop, pause, resume/)
  t.equal((await s.call('PUT', `/v2/recordings/${r.id}`, {})).status, 400)
  t.equal((await s.call('PUT', `/v2/recordings/${r.id}`)).status, 400)
  const missing = await act(s, NOBODY, 'stop')
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No recording found with id ${NOBODY}`)
  t.equal((await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' }, 'org-b')).status, 404, 'another org cannot stop it')
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'INVOKED')
})

t.test('listRecordings: newest first, paged, each item with its meeting', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'Listed' })
  const made: string[] = []
  for (let i = 0; i < 3; i++) {
    made.unshift((await start(s, { meeting_id: m.id, allow_multiple_recordings: true })).id)
    await advance(s, 1)
  }
  const all = await s.call('GET', '/v2/recordings')
  t.equal(all.status, 200)
  t.same(all.json.data.map((r: any) => r.id), made)
  t.same(all.json.paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  t.match(all.json.data[0].meeting, { id: m.id, title: 'Listed', status: 'ACTIVE' }, 'list items carry their meeting')

  const p2 = await s.call('GET', '/v2/recordings?per_page=2&page_no=2')
  t.same(p2.json.data.map((r: any) => r.id), [made[2]])
  t.same(p2.json.paging, { total_count: 3, start_offset: 3, end_offset: 3 })
  t.same(await listIds(s, '?sort_order=ASC'), [...made].reverse())
  t.same(await listIds(s, '?sort_order=DESC&sort_by=invokedTime'), made)
  t.equal((await s.call('GET', '/v2/recordings?sort_order=up')).status, 400)
  t.same((await s.call('GET', '/v2/recordings', undefined, 'org-b')).json.data, [], 'another org sees none')
})

t.test('listRecordings: filters on meeting_id, status list, search, time and expiry', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await s.call('PATCH', '/_mock/settings', { download_url_ttl_s: 60 })
  const design = await meeting(s, { title: 'Design Sync' })
  const sales = await meeting(s, { title: 'Sales' })
  const ops = await meeting(s, { title: 'Ops' })

  const uploaded = await start(s, { meeting_id: design.id, file_name_prefix: 'arch' }) // t = 0
  await advance(s, 2)
  await act(s, uploaded.id, 'stop')
  await advance(s, 5) // UPLOADED at 7, expires at 67
  const paused = await start(s, { meeting_id: sales.id }) // t = 7
  await advance(s, 2)
  await act(s, paused.id, 'pause')
  await advance(s, 1)
  const invoked = await start(s, { meeting_id: ops.id }) // t = 10
  const byStatus = async (q: string) => (await listIds(s, q)).sort()

  t.same(await listIds(s), [invoked.id, paused.id, uploaded.id])
  t.same(await listIds(s, `?meeting_id=${sales.id}`), [paused.id])
  t.equal((await s.call('GET', '/v2/recordings?meeting_id=sales')).status, 400, 'meeting_id must be a uuid')
  t.same(await byStatus('?status=INVOKED,PAUSED'), [invoked.id, paused.id].sort(), 'a comma-separated status list')
  t.same(await listIds(s, '?status=UPLOADED'), [uploaded.id])
  t.same(await listIds(s, '?status=RECORDING'), [])
  const badStatus = await s.call('GET', '/v2/recordings?status=INVOKED,DONE')
  t.equal(badStatus.status, 400)
  t.match(badStatus.json.error.message, /querystring\/status\/1 must be one of: INVOKED, RECORDING, PAUSED, UPLOADING, UPLOADED, ERRORED/)

  t.same(await listIds(s, '?search=design'), [uploaded.id], 'search: the meeting title, case-insensitively')
  t.same(await listIds(s, '?search=arch_'), [uploaded.id], 'the output file name')
  t.same(await listIds(s, `?search=${paused.id}`), [paused.id], 'the recording id')
  t.same(await listIds(s, '?search=nothing'), [])

  const q = encodeURIComponent
  t.same(await listIds(s, `?start_time=${q(at(7))}`), [invoked.id, paused.id], 'start_time is inclusive, on invoked_time')
  t.same(await listIds(s, `?end_time=${q(at(7))}`), [paused.id, uploaded.id], 'end_time is inclusive')
  t.same(await listIds(s, `?start_time=${q(at(1))}&end_time=${q(at(9))}`), [paused.id])

  t.same(await listIds(s, '?expired=true'), [], 'nothing has expired yet')
  t.same(await listIds(s, '?expired=false'), [invoked.id, paused.id, uploaded.id], 'recordings without a URL are not expired')
  await advance(s, 60) // now 70 > 67
  t.same(await listIds(s, '?expired=true'), [uploaded.id])
  t.same(await listIds(s, '?expired=false'), [invoked.id, paused.id])
  t.same(await listIds(s, `?expired=true&meeting_id=${sales.id}`), [], 'filters combine')
})

t.test('getActiveRecording: the active recording on both paths, else 404', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const idle = await meeting(s)
  const paths = (id: string) => [`/v2/recordings/active-recordings/${id}`, `/v2/recordings/active-recording/${id}`]
  for (const url of paths(m.id)) {
    const res = await s.call('GET', url)
    t.equal(res.status, 404, `${url} before any recording`)
    t.equal(res.json.error.message, `No active recording found for meeting_id ${m.id}`)
  }
  const r = await start(s, { meeting_id: m.id })
  for (const url of paths(m.id)) {
    const res = await s.call('GET', url)
    t.equal(res.status, 200, url)
    t.match(res.json.data, { id: r.id, status: 'INVOKED', meeting_id: m.id })
  }
  await advance(s, 2)
  await act(s, r.id, 'pause')
  t.equal((await s.call('GET', paths(m.id)[0])).json.data.status, 'PAUSED', 'PAUSED is still active')
  await advance(s, 1)
  const newer = await start(s, { meeting_id: m.id, allow_multiple_recordings: true })
  t.equal((await s.call('GET', paths(m.id)[1])).json.data.id, newer.id, 'the newest active one')

  await act(s, r.id, 'stop')
  await act(s, newer.id, 'stop')
  for (const url of [...paths(m.id), ...paths(idle.id), ...paths(NOBODY)]) {
    t.equal((await s.call('GET', url)).status, 404, `${url} with nothing active`)
  }
  t.equal((await s.call('GET', paths('bad')[0])).status, 400)
})

t.test('startRecording: a recording started before anyone joins a record_on_start meeting is the one kept', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'Auto', record_on_start: true })
  const r = await start(s, { meeting_id: m.id })
  const p = await addParticipant(s, m.id, { name: 'host' })
  const joined = await join(s, m.id, p.id)
  t.equal(joined.status, 200, 'joining is not refused because a recording is already active')
  t.same(await listIds(s), [r.id], 'the session did not start a second recording')
  await advance(s, 2)
  t.match((await s.call('GET', `/v2/recordings/${r.id}`)).json.data, { status: 'RECORDING', session_id: joined.json.data.session_id, start_reason: { reason: 'API_CALL' } })

  // With none active, the session starts one itself.
  const fresh = await meeting(s, { title: 'Auto 2', record_on_start: true })
  const q = await addParticipant(s, fresh.id, { name: 'host' })
  t.equal((await join(s, fresh.id, q.id)).status, 200)
  t.match((await s.call('GET', `/v2/recordings/active-recording/${fresh.id}`)).json.data, { status: 'INVOKED', start_reason: { reason: 'RECORD_ON_START' } })
})

t.test('storage credentials are kept but never shown again', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const storage = { type: 'aws', access_key: 'AKIA-SECRET', secret: 'very-secret', bucket: 'media', region: 'us-east-1', path: 'rec/' }
  const r = await start(s, { meeting_id: m.id, storage_config: storage })
  t.same(r.storage_config, { type: 'aws', bucket: 'media', region: 'us-east-1', path: 'rec/' })
  const got = await s.call('GET', `/v2/recordings/${r.id}`)
  t.same(got.json.data.storage_config, { type: 'aws', bucket: 'media', region: 'us-east-1', path: 'rec/' })
  t.notMatch(JSON.stringify(got.json), /very-secret|AKIA-SECRET/)
  t.equal(s.app.dyte.store.recordings.get('org-a', r.id)!.storage_config!.secret, 'very-secret', 'the store keeps what was sent')
})
