// The request journal (/_mock/requests): what the org's client sent, filtered, bounded, masked,
// wiped; and POST /_mock/requests/find with its near misses.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { createJournal, JOURNAL_MAX_BYTES } from '../src/simulate/journal.js'
import { auth, build, meeting, ORG } from './helpers.js'

const NO_SUCH = '00000000-0000-4000-8000-000000000000'

const entries = async (s: Awaited<ReturnType<typeof build>>, query = '', org?: string) => {
  const res = await s.call('GET', `/_mock/requests${query}`, undefined, org)
  t.equal(res.status, 200, `GET /_mock/requests${query}`)
  return res.json as { data: any[], paging: { total_count: number, start_offset: number, end_offset: number } }
}

t.test('journal: each API request of the org, newest first, as sent, with its answer', async (t) => {
  const s = await build(t, { frozenAt: '2030-01-01T00:00:00.000Z' })
  const m = await meeting(s, { title: 'Standup', record_on_start: false })
  await s.app.inject({ method: 'GET', url: `/v2/meetings?per_page=5&tag=a&tag=b`, headers: { ...auth(), 'x-auth-key': 'secret-key', 'x-trace': 't1' } })
  await s.call('GET', `/v2/meetings/${m.id}`)
  const { data, paging } = await entries(s)
  t.same(paging, { total_count: 3, start_offset: 1, end_offset: 3 })
  t.same(data.map((e) => [e.seq, e.method, e.path, e.operation_id, e.status]), [
    [3, 'GET', `/v2/meetings/${m.id}`, 'getMeeting', 200],
    [2, 'GET', '/v2/meetings', 'listMeetings', 200],
    [1, 'POST', '/v2/meetings', 'createMeeting', 201],
  ])
  const [get, list, create] = data
  t.equal(create.at, '2030-01-01T00:00:00.000Z', 'at is the org clock')
  t.same(create.body, { title: 'Standup', record_on_start: false }, 'the body as received (no defaults filled in)')
  t.same(create.query, {})
  t.equal(create.fault_id, null)
  t.equal(create.hint, null)
  t.type(create.duration_ms, 'number')
  t.equal(get.body, null, 'no body is null')
  t.same(list.query, { per_page: '5', tag: ['a', 'b'] }, 'the query as sent; a repeated name is a list')
  t.equal(list.headers.authorization, 'Basic ***', 'the authorization value is masked')
  t.equal(list.headers['x-auth-key'], '***', 'x-auth-key is masked')
  t.equal(list.headers['x-trace'], 't1', 'other headers as sent')
  t.notMatch(JSON.stringify(data), /secret-key|a2V5|b3JnLWE6a2V5/, 'no credential appears anywhere')
})

t.test('journal: the control plane, /docs and /health are not journaled; other orgs have their own', async (t) => {
  const s = await build(t)
  await s.call('GET', '/_mock/clock')
  await s.app.inject({ url: '/health' })
  await s.app.inject({ url: '/docs/json' })
  await meeting(s, { title: 'B' }, 'org-b')
  t.equal((await entries(s)).paging.total_count, 0)
  t.same((await entries(s, '', 'org-b')).data.map((e) => e.path), ['/v2/meetings'])
})

t.test('journal: unmatched requests and refused credentials are journaled under the org they named', async (t) => {
  const s = await build(t)
  await s.call('GET', '/v2/meeting')
  await s.call('DELETE', '/v2/meetings')
  await s.app.inject({ url: '/v2/meetings', headers: auth(ORG, '') })
  await s.app.inject({ url: '/accounts/acc/realtime/kit/app-1/meetings' })
  await s.app.inject({ url: '/client/v4/accounts/acc/realtime/kit/app-1/meetingz', headers: { authorization: 'Bearer tok' } })
  await s.app.inject({ url: '/v2/meetings' }) // names no org: not journaled
  const { data } = await entries(s)
  t.same(data.map((e) => [e.method, e.path, e.operation_id, e.status]), [
    ['GET', '/v2/meetings', 'listMeetings', 401],
    ['DELETE', '/v2/meetings', null, 404],
    ['GET', '/v2/meeting', null, 404],
  ])
  t.match(data[0].hint, /API key .* is empty/)
  t.match(data[1].hint, /DELETE is not served on \/v2\/meetings; it answers GET, POST/)
  t.match(data[2].hint, /did you mean GET \/v2\/meetings/)
  const app = (await entries(s, '', 'app-1')).data
  t.same(app.map((e) => [e.path, e.status]), [
    ['/client/v4/accounts/acc/realtime/kit/app-1/meetingz', 404],
    ['/accounts/acc/realtime/kit/app-1/meetings', 401],
  ], 'the RealtimeKit app id in the path names the org; the path is as sent (with /client/v4)')
  t.equal(app[0].headers.authorization, 'Bearer ***')
})

t.test('journal: a participant token names the org of a refused request; RealtimeKit answers as its Dyte operation', async (t) => {
  const s = await build(t, { orgs: `${ORG}:key` })
  const m = await meeting(s)
  const p = (await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host' })).json.data
  await s.app.inject({ url: `/v2/meetings/${m.id}`, headers: { authorization: `Bearer ${p.token}` } })
  await s.app.inject({ url: `/accounts/acc/realtime/kit/${ORG}/meetings/${m.id}`, headers: { authorization: 'Bearer key' } })
  await s.app.inject({ url: '/v2/meetings', headers: { authorization: 'Bearer not.a-jwt' } })
  const { data } = await entries(s)
  t.same(data.map((e) => [e.path, e.operation_id, e.status]), [
    [`/accounts/acc/realtime/kit/${ORG}/meetings/${m.id}`, 'getMeeting', 200],
    [`/v2/meetings/${m.id}`, 'getMeeting', 401],
    [`/v2/meetings/${m.id}/participants`, 'addParticipant', 201],
    ['/v2/meetings', 'createMeeting', 201],
  ])
  const rtk = await s.call('GET', '/_mock/requests?operation_id=get_meeting')
  t.equal(rtk.json.paging.total_count, 1, 'the RealtimeKit operation id finds it too')
})

t.test('journal: filters, paging and since_seq', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  await s.call('GET', `/v2/meetings/${m.id}`)
  await s.call('GET', `/v2/meetings/${m.id}/participants`)
  await s.call('GET', `/v2/meetings/${NO_SUCH}`)
  await s.call('PATCH', `/v2/meetings/${m.id}`, { title: 'New' })
  const paths = async (q: string) => (await entries(s, q)).data.map((e) => `${e.seq} ${e.method} ${e.status}`)
  t.same(await paths('?method=GET'), ['4 GET 404', '3 GET 200', '2 GET 200'])
  t.same(await paths('?status=404'), ['4 GET 404'])
  t.same(await paths('?operation_id=getMeeting'), ['4 GET 404', '2 GET 200'])
  t.same(await paths(`?path=/v2/meetings/${m.id}`), ['5 PATCH 200', '3 GET 200', '2 GET 200'], 'a prefix')
  t.same(await paths('?path=/v2/meetings/*/participants'), ['3 GET 200'], 'a pattern')
  t.same(await paths('?path=*-000000000000'), ['4 GET 404'])
  t.same(await paths('?since_seq=3'), ['5 PATCH 200', '4 GET 404'])
  const page = await entries(s, '?per_page=2&page_no=2')
  t.same(page.data.map((e) => e.seq), [3, 2])
  t.same(page.paging, { total_count: 5, start_offset: 3, end_offset: 4 })
  const bad = await s.call('GET', '/_mock/requests?status=99')
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /querystring\/status must be >= 100/)
})

t.test('journal: the bound drops the oldest entries; 0 turns the journal off', async (t) => {
  const s = await build(t, { journalSize: 3 })
  for (let i = 0; i < 5; i++) await s.call('GET', `/v2/meetings?page_no=${i + 1}`)
  const { data, paging } = await entries(s)
  t.equal(paging.total_count, 3)
  t.same(data.map((e) => [e.seq, e.query.page_no]), [[5, '5'], [4, '4'], [3, '3']], 'the two oldest are gone')
  const off = await build(t, { journalSize: 0 })
  await off.call('GET', '/v2/meetings')
  t.equal((await entries(off)).paging.total_count, 0)
})

t.test('journal: many entries across buffers, in order, bounded by count and by bytes', async (t) => {
  const recorded = (i: number, body?: string) => ({
    atMs: 1_000 + i, method: 'POST', url: `/v2/meetings?i=${i}`, operationId: 'createMeeting', answersAs: undefined,
    headers: { 'x-i': String(i), 'x-list': ['a', 'b'] }, rawBody: body, status: 201, durationMs: i / 7, faultId: undefined, hint: undefined,
  })
  const journal = createJournal(10_000)
  for (let i = 1; i <= 25_000; i++) journal.record('org', recorded(i, i % 2 ? `{"n":${i},"é":"ü"}` : undefined))
  const page = (no: number, per = 100) => journal.list('org', {}, { page_no: no, per_page: per })
  t.equal(page(1).paging.total_count, 10_000, 'the newest 10,000 are kept')
  const newest = page(1, 2).data
  t.same(newest.map((e) => [e.seq, e.query.i, e.headers['x-i'], e.headers['x-list'], e.body]), [[25_000, '25000', '25000', 'a, b', null], [24_999, '24999', '24999', 'a, b', { n: 24_999, é: 'ü' }]])
  t.equal(newest[0].duration_ms, Math.round(25_000 / 7 * 1000) / 1000)
  t.equal(page(100).data.at(-1)?.seq, 15_001, 'the oldest kept is the 15,001st')
  t.same(journal.list('org', { since_seq: 24_990 }, { page_no: 1, per_page: 100 }).paging.total_count, 10)

  // Bodies of 1 MiB: far fewer than the count bound fit in the byte bound.
  const big = createJournal(10_000)
  const mib = 'x'.repeat(1024 * 1024)
  for (let i = 1; i <= 60; i++) big.record('org', recorded(i, `"${mib}"`))
  const kept = big.list('org', {}, { page_no: 1, per_page: 100 }).data
  t.ok(kept.length >= 20 && kept.length < 60, `kept ${kept.length} of 60 one-MiB bodies`)
  t.ok(kept.length * 1024 * 1024 <= JOURNAL_MAX_BYTES, 'within the byte bound')
  t.equal(kept[0].seq, 60, 'the newest is kept')
  t.equal(kept[0].body, mib)
  // Small ones after them: the index grows while its oldest entry is not at its start.
  for (let i = 61; i <= 200; i++) big.record('org', recorded(i, `${i}`))
  const after = big.list('org', {}, { page_no: 1, per_page: 1000 }).data
  t.same(after.slice(0, 140).map((e) => [e.seq, e.body]), Array.from({ length: 140 }, (_, k) => [200 - k, 200 - k]), 'every entry in order, with its own body')
  t.same(after.slice(140).map((e) => e.seq), kept.map((e) => e.seq).filter((seq) => after.some((e) => e.seq === seq)), 'then the big ones still kept, in order')
  t.ok(after.slice(140).length > 0, 'some big ones are still kept')
  big.clear('org')
  big.record('org', recorded(201))
  t.same(big.list('org', {}, { page_no: 1, per_page: 100 }).data.map((e) => e.seq), [201], 'cleared, then written again')
})

t.test('journal: DELETE clears it (seq keeps counting); reset wipes it (seq starts over)', async (t) => {
  const s = await build(t)
  await s.call('GET', '/v2/meetings')
  await s.call('GET', '/v2/meetings', undefined, 'org-b')
  const cleared = await s.call('DELETE', '/_mock/requests')
  t.same(cleared.json, { success: true, message: 'Journal cleared' })
  t.equal((await entries(s)).paging.total_count, 0)
  t.equal((await entries(s, '', 'org-b')).paging.total_count, 1, 'other orgs keep theirs')
  await s.call('GET', '/v2/meetings')
  t.same((await entries(s)).data.map((e) => e.seq), [2])
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  t.equal((await entries(s)).paging.total_count, 0, 'reset wipes the journal')
  await s.call('GET', '/v2/meetings')
  t.same((await entries(s)).data.map((e) => e.seq), [1])
})

t.test('journal: a faulted answer names its fault; a body that is not JSON is kept as text', async (t) => {
  const s = await build(t)
  const fault = (await s.call('POST', '/_mock/faults', { path: '/v2/meetings', status: 503, times: 1 })).json.data
  await s.call('GET', '/v2/meetings')
  await s.app.inject({ method: 'POST', url: '/v2/meetings', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"title":' })
  // A NUL, which no URL or header can hold, in the body: each entry keeps its fields apart.
  await s.app.inject({ method: 'POST', url: '/v2/meetings?x=1', headers: { ...auth(), 'content-type': 'application/json', 'x-trace': 't2' }, payload: '{"title":"a\u0000b\u0000' })
  const { data } = await entries(s)
  t.same(data.map((e) => [e.status, e.fault_id, e.body]), [[400, null, '{"title":"a\u0000b\u0000'], [400, null, '{"title":'], [503, fault.id, null]])
  t.same(data[0].query, { x: '1' })
  t.equal(data[0].headers['x-trace'], 't2')
  t.equal(data[0].operation_id, 'createMeeting')
})

const find = async (s: Awaited<ReturnType<typeof build>>, match: unknown) => {
  const res = await s.call('POST', '/_mock/requests/find', { match })
  t.equal(res.status, 200, JSON.stringify(match))
  return res.json.data as { count: number, requests: any[], near_misses: { request: any, differences: any[] }[] }
}

t.test('find: every criterion, oldest first', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'A', record_on_start: true, recording_config: { file_name_prefix: 'x' } })
  await meeting(s, { title: 'B' })
  await s.app.inject({ url: `/v2/meetings/${m.id}/participants?per_page=2&page_no=1`, headers: { ...auth(), 'x-trace': 't' } })
  const seqs = async (match: unknown) => (await find(s, match)).requests.map((e) => e.seq)
  t.same(await seqs({ method: 'POST', path: '/v2/meetings' }), [1, 2])
  t.same(await seqs({ body: { record_on_start: true } }), [1])
  t.same(await seqs({ body: { recording_config: { file_name_prefix: 'x' } } }), [1], 'nested subsets')
  t.same(await seqs({ path: '/v2/meetings/{meeting_id}/participants' }), [3], 'a {param} template')
  t.same(await seqs({ path: '/v2/*/participants' }), [3], 'a * pattern')
  t.same(await seqs({ operation_id: 'listParticipants' }), [3])
  t.same(await seqs({ query: { per_page: 2 } }), [3], 'query values compare as text')
  t.same(await seqs({ headers: { 'X-Trace': 't', authorization: true } }), [3], 'header names are case-insensitive; true is presence')
  t.same(await seqs({ headers: { 'x-trace': false } }), [1, 2], 'false is absence')
  t.same(await seqs({ status: 201 }), [1, 2])
  t.same((await find(s, { status: 201 })).near_misses, [], 'no near misses when something matched')
})

t.test('find: when nothing matches, the near misses name what differed, closest first', async (t) => {
  const s = await build(t)
  await meeting(s, { title: 'A', record_on_start: false })
  await s.call('GET', '/v2/meetings')
  await meeting(s, { title: 'B' })
  const r = await find(s, { method: 'POST', path: '/v2/meetings', body: { record_on_start: true, title: 'A' } })
  t.equal(r.count, 0)
  t.same(r.requests, [])
  t.same(r.near_misses.map((n) => n.request.seq), [1, 3, 2], 'ranked by how close they came')
  t.same(r.near_misses[0].differences, [{ field: 'body.record_on_start', expected: true, actual: false }])
  t.same(r.near_misses[1].differences, [
    { field: 'body.record_on_start', expected: true },
    { field: 'body.title', expected: 'A', actual: 'B' },
  ], 'a field the request did not have has no actual')
  t.same(r.near_misses[2].differences, [
    { field: 'method', expected: 'POST', actual: 'GET' },
    { field: 'body', expected: { record_on_start: true, title: 'A' } },
  ])
  const more = await find(s, { operation_id: 'getMeeting', status: 500, query: { a: ['1', '2'] }, headers: { 'x-trace': 'x' } })
  t.same(more.near_misses[0].differences.map((d) => d.field), ['operation_id', 'status', 'query.a', 'headers.x-trace'])
  t.equal(more.near_misses.length, 3)
  for (let i = 0; i < 5; i++) await s.call('GET', '/v2/meetings')
  t.equal((await find(s, { method: 'DELETE' })).near_misses.length, 5, 'at most five')
})

t.test('find: the match is validated from the spec', async (t) => {
  const s = await build(t)
  for (const [body, message] of [
    [{}, /body must have required property 'match'/],
    [{ match: { methd: 'GET' } }, /body\/match must not have additional property 'methd'/],
    [{ match: { method: 'get' } }, /body\/match\/method must be one of: GET, POST, PUT, PATCH, DELETE/],
    [{ match: { path: 'v2/meetings' } }, /body\/match\/path must match pattern/],
    [{ match: { headers: { a: 1 } } }, /body\/match\/headers\/a/],
  ] as const) {
    const res = await s.call('POST', '/_mock/requests/find', body)
    t.equal(res.status, 400, JSON.stringify(body))
    t.match(res.json.error.message, message)
  }
})

t.test('journal: --journal-size takes a whole number; --help lists it', async (t) => {
  const bad = spawnSync(process.execPath, ['dist/src/main.js', '--db', ':memory:', '--journal-size', 'lots'], { encoding: 'utf8' })
  t.equal(bad.status, 2)
  t.equal(bad.stderr, "dyte-mock: --journal-size must be a whole number of requests (0 turns the journal off), got 'lots'\n")
  const env = spawnSync(process.execPath, ['dist/src/main.js', '--db', ':memory:'], { encoding: 'utf8', env: { ...process.env, DYTE_MOCK_JOURNAL_SIZE: '-1' } })
  t.equal(env.status, 2)
  const help = spawnSync(process.execPath, ['dist/src/main.js', '--help'], { encoding: 'utf8' })
  t.match(help.stdout, /--journal-size <n> DYTE_MOCK_JOURNAL_SIZE/)
})
