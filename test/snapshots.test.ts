// Snapshots (/_mock/snapshots) and --fixtures: an org's whole state saved, brought back exactly
// (the same bytes for the same requests on a frozen clock), exported as a document and loaded
// from one; never half a snapshot, and a 404 for a name that does not exist.
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'
import { addParticipant, advance, auth, build, join, meeting, ORG, tmpDb, type TestServer } from './helpers.js'
import { createServer } from '../src/server.js'
import { testKeys } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'
const ALL = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft', 'recording.statusUpdate', 'livestreaming.statusUpdate']

/** Raw answers (status and bytes) of the same requests, for byte-for-byte comparison. */
async function raw (s: TestServer, requests: Array<[string, string, unknown?]>, org = ORG) {
  const out: string[] = []
  for (const [method, url, body] of requests) {
    const res = await s.app.inject({
      method: method as 'GET', url, headers: { ...auth(org), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    })
    out.push(`${method} ${url} → ${res.statusCode} ${res.body}`)
  }
  return out
}

/** An org with a bit of everything: meetings, people in a live session, a recording under way, a livestream, a webhook with deliveries, a fault, settings, timers. */
async function busyOrg (t: Test, s: TestServer, org = ORG) {
  await s.call('PATCH', '/_mock/settings', { recording_upload_delay_s: 7 }, org)
  await s.call('POST', '/v2/webhooks', { name: 'all', url: 'http://127.0.0.1:9/hooks', events: ALL }, org)
  const m = await meeting(s, { title: 'Standup' }, org)
  await meeting(s, { title: 'Retro' }, org)
  const p = await addParticipant(s, m.id, { name: 'Jane', custom_participant_id: 'jane' }, org)
  t.equal((await join(s, m.id, p.id, org)).status, 200)
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: m.id }, org)).status, 201)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/livestreams`, {}, org)).status, 201)
  t.equal((await s.call('POST', '/_mock/faults', { path: '/v2/not-called', status: 503 }, org)).status, 201)
  await advance(s, 1, org) // the recording's start is still due: a timer in the snapshot
  await s.settled()
  return { meetingId: m.id }
}

/** Requests that read everything and move time on (so due timers run), then read again. */
const probe = (meetingId: string): Array<[string, string, unknown?]> => [
  ['GET', '/v2/meetings'],
  ['GET', `/v2/meetings/${meetingId}/participants`],
  ['GET', '/v2/sessions'],
  ['GET', '/v2/recordings'],
  ['GET', '/_mock/events'],
  ['GET', '/_mock/settings'],
  ['GET', '/_mock/faults'],
  ['GET', '/_mock/clock'],
  ['POST', '/v2/meetings', { title: 'After' }],
  ['POST', '/_mock/clock/advance', { seconds: 30 }],
  ['GET', '/v2/recordings'],
  ['GET', '/v2/livestreams'],
  ['GET', '/_mock/events'],
  ['GET', '/v2/meetings'],
]

t.test('restore: after many changes, the same requests give byte-identical answers', async (t) => {
  const s = await build(t, { frozenAt: T0, seed: 'snap', deliver: 'capture' })
  const { meetingId } = await busyOrg(t, s)
  const saved = await s.call('POST', '/_mock/snapshots', { name: 'busy' })
  t.equal(saved.status, 201)
  t.match(saved.json.data, { name: 'busy', org_id: ORG, created_at: '2030-01-01T00:00:01.000Z' })
  t.ok(saved.json.data.rows > 10, 'it holds the org\'s rows')

  const first = await raw(s, probe(meetingId))
  await s.settled()

  // Many changes of every kind, then back.
  for (let i = 0; i < 20; i++) await meeting(s, { title: `noise ${i}` })
  await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: 99 })
  await s.call('DELETE', '/_mock/faults')
  await s.call('POST', '/_mock/faults', { path: '/v2/meetings', method: 'GET', status: 500 })
  await s.call('POST', '/_mock/clock', { frozen: true, now: '2031-06-01T00:00:00.000Z' })
  await s.call('POST', '/v2/webhooks', { name: 'other', url: 'http://127.0.0.1:9/other', events: ['meeting.ended'] })
  await s.call('POST', `/_mock/meetings/${meetingId}/active-session/end`)
  await s.settled()

  const restored = await s.call('POST', '/_mock/snapshots/busy/restore')
  t.equal(restored.status, 200)
  t.same(restored.json.data, saved.json.data)
  const second = await raw(s, probe(meetingId))
  t.same(second, first, 'every answer is the same, byte for byte')

  // And once more, after a reset in between: a snapshot outlives a reset.
  await s.call('POST', '/_mock/reset')
  t.equal((await s.call('POST', '/_mock/snapshots/busy/restore')).status, 200)
  t.same(await raw(s, probe(meetingId)), first, 'the same after a reset and a restore')
})

t.test('restore: pending deliveries of the snapshot go out again; attempts of the replaced state are not recorded', async (t) => {
  const s = await build(t, { frozenAt: T0, deliver: 'capture' })
  await s.call('POST', '/v2/webhooks', { name: 'all', url: 'http://127.0.0.1:9/hooks', events: ['meeting.started'] })
  await s.call('POST', '/_mock/snapshots', { name: 'hooked' })
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  await join(s, m.id, p.id)
  await s.settled()
  t.equal(s.captured.length, 1, 'meeting.started was delivered')
  await s.call('POST', '/_mock/snapshots', { name: 'started' })
  await s.call('POST', '/_mock/snapshots/hooked/restore')
  t.same((await s.call('GET', '/v2/meetings')).json.data, [], 'the meeting is gone')
  t.same((await s.call('GET', '/_mock/webhook-deliveries')).json.data, [], 'and its delivery')
  await s.call('POST', '/_mock/snapshots/started/restore')
  const deliveries = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  t.match(deliveries, [{ event: 'meeting.started', status: 'succeeded' }], 'the delivery is back as it was')
})

t.test('restore: rows keep their order when another org took their keys meanwhile', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  for (const title of ['a', 'b', 'c']) await meeting(s, { title })
  await s.call('POST', '/_mock/snapshots', { name: 'abc' })
  const before = (await s.call('GET', '/v2/meetings')).json
  await s.call('POST', '/_mock/reset')
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'org-b')
  for (const title of ['x', 'y', 'z']) await meeting(s, { title }, 'org-b')
  t.equal((await s.call('POST', '/_mock/snapshots/abc/restore')).status, 200)
  t.same((await s.call('GET', '/v2/meetings')).json, before, 'the same list, in the same order')
  t.same((await s.call('GET', '/v2/meetings', undefined, 'org-b')).json.data.map((m: any) => m.title), ['z', 'y', 'x'], 'org-b is untouched')
})

t.test('snapshots: list with paging, delete, and a 404 for a name that does not exist', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  for (const name of ['b', 'a', 'c']) t.equal((await s.call('POST', '/_mock/snapshots', { name })).status, 201)
  const page = await s.call('GET', '/_mock/snapshots?per_page=2&page_no=2')
  t.same(page.json, { success: true, data: [{ name: 'c', org_id: ORG, created_at: T0, rows: 4 }], paging: { total_count: 3, start_offset: 3, end_offset: 3 } })
  t.same((await s.call('GET', '/_mock/snapshots', undefined, 'org-b')).json.data, [], 'another org sees none of them')
  t.equal((await s.call('POST', '/_mock/snapshots/a/restore', undefined, 'org-b')).status, 404, 'nor can it restore them')
  t.equal((await s.call('DELETE', '/_mock/snapshots/a')).status, 200)
  for (const [method, url] of [['POST', '/_mock/snapshots/a/restore'], ['DELETE', '/_mock/snapshots/a'], ['GET', '/_mock/snapshots/a/export']] as const) {
    const res = await s.call(method, url)
    t.equal(res.status, 404, `${method} ${url}`)
    t.same(res.json, { success: false, error: { code: 404, message: 'No snapshot named a (GET /_mock/snapshots lists the org\'s)' } })
  }
  const bad = await s.call('POST', '/_mock/snapshots', { name: '../etc' })
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /body\/name must match pattern/)
})

t.test('export and import: a document another server restores to the same answers', async (t) => {
  const a = await build(t, { frozenAt: T0, seed: 'x', deliver: 'capture' })
  const { meetingId } = await busyOrg(t, a)
  await a.call('POST', '/_mock/snapshots', { name: 'busy' })
  const exported = await a.app.inject({ method: 'GET', url: '/_mock/snapshots/busy/export', headers: auth() })
  t.equal(exported.statusCode, 200)
  t.equal(exported.headers['content-disposition'], 'attachment; filename="busy.json"')
  const doc = exported.json()
  t.match(doc, { format: 'dyte-mock-snapshot', version: 1, name: 'busy', org_id: ORG, org: { frozen_at_ms: Date.parse(T0) + 1000 } })
  const expected = await raw(a, probe(meetingId))

  const b = await build(t, { seed: 'x', deliver: 'capture' })
  const imported = await b.call('POST', '/_mock/snapshots/import', doc)
  t.equal(imported.status, 201)
  t.match(imported.json.data, { name: 'busy', org_id: ORG })
  t.equal((await b.call('POST', '/_mock/snapshots/busy/restore')).status, 200)
  t.same(await raw(b, probe(meetingId)), expected, 'the other server answers the same bytes')
  const again = await b.app.inject({ method: 'GET', url: '/_mock/snapshots/busy/export', headers: auth() })
  t.equal(again.body, exported.body, 'and exports the same document')
})

t.test('import: a document that is not a snapshot is a 400 naming what is wrong, and nothing is stored', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await meeting(s)
  await s.call('POST', '/_mock/snapshots', { name: 'good' })
  const good = (await s.app.inject({ method: 'GET', url: '/_mock/snapshots/good/export', headers: auth() })).json()
  const meetings = good.tables.meetings
  const cases: Array<[string, unknown, RegExp]> = [
    ['a wrong format marker', { ...good, format: 'something-else' }, /body\/format must be one of: dyte-mock-snapshot/],
    ['no tables', { ...good, tables: undefined }, /body must have required property 'tables'/],
    ['a table of no org state', { ...good, tables: { ...good.tables, users: { columns: ['org_id'], rows: [] } } }, /tables\.users is not a table of an org's state/],
    ['an unknown column', { ...good, tables: { meetings: { ...meetings, columns: [...meetings.columns.slice(0, -1), 'colour'] } } }, /tables\.meetings\.columns: colour is not a column of meetings/],
    ['a short row', { ...good, tables: { meetings: { ...meetings, rows: [meetings.rows[0].slice(1)] } } }, /tables\.meetings\.rows\[0\] has \d+ values for \d+ columns/],
    ['a row of another org', { ...good, tables: { meetings: { ...meetings, rows: [meetings.rows[0].map((v: unknown) => (v === ORG ? 'org-z' : v))] } } }, /rows\[0\] belongs to org org-z/],
    ['a row that does not fit the table', { ...good, name: 'broken', tables: { meetings: { ...meetings, rows: [meetings.rows[0].map((v: unknown, i: number) => (meetings.columns[i] === 'status' ? null : v))] } } }, /the rows cannot be stored: NOT NULL constraint failed: meetings\.status/],
    ['a newer schema', { ...good, schema_version: 999 }, /schema_version 999 is newer than this server's database/],
    ['another org\'s snapshot', { ...good, org_id: 'org-b' }, /org_id: the snapshot is of org org-b/],
  ]
  for (const [what, doc, message] of cases) {
    const res = await s.call('POST', '/_mock/snapshots/import', { ...(doc as object), name: 'imported' })
    t.equal(res.status, 400, what)
    t.match(res.json.error.message, message, what)
  }
  t.same((await s.call('GET', '/_mock/snapshots')).json.data.map((x: any) => x.name), ['good'], 'none of them was stored')
  t.equal((await s.call('GET', '/v2/meetings')).json.data.length, 1, 'and the org\'s state is untouched by the checks')
})

t.test('fixtures: every *.json in the folder is imported and restored into its org at start', async (t) => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'dyte-mock-fixtures-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const a = await build(t, { frozenAt: T0, seed: 'f' })
  await meeting(a, { title: 'From a fixture' })
  await a.call('POST', '/_mock/snapshots', { name: 'base' })
  writeFileSync(joinPath(dir, 'base.json'), (await a.app.inject({ method: 'GET', url: '/_mock/snapshots/base/export', headers: auth() })).body)
  writeFileSync(joinPath(dir, 'notes.txt'), 'not a fixture')
  const expected = await raw(a, [['GET', '/v2/meetings'], ['POST', '/v2/meetings', { title: 'next' }]])

  const dbPath = tmpDb(t)
  const b = await build(t, { seed: 'f', fixtures: dir, dbPath })
  t.same(await raw(b, [['GET', '/v2/meetings'], ['POST', '/v2/meetings', { title: 'next' }]]), expected, 'the org starts as the fixture left it')
  t.match((await b.call('GET', '/_mock/snapshots')).json.data, [{ name: 'base' }], 'and the snapshot is there to restore again')

  writeFileSync(joinPath(dir, 'broken.json'), JSON.stringify({ format: 'dyte-mock-snapshot' }))
  await t.rejects(createServer({ dbPath: ':memory:', logLevel: 'silent', signingKeys: testKeys(), fixtures: dir }),
    { message: /--fixtures: .*broken\.json is not a dyte-mock snapshot: document must have required property 'version'/ })
  writeFileSync(joinPath(dir, 'broken.json'), '{')
  await t.rejects(createServer({ dbPath: ':memory:', logLevel: 'silent', signingKeys: testKeys(), fixtures: dir }), { message: /broken\.json is not JSON/ })
  await t.rejects(createServer({ dbPath: ':memory:', logLevel: 'silent', signingKeys: testKeys(), fixtures: joinPath(dir, 'missing') }), { message: /no such directory/ })
})

t.test('import: a document with fewer columns (an older schema) restores; the missing ones take their defaults', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s, { title: 'Old', ai_config: { summarization: { word_limit: 150 } } })
  await s.call('POST', '/_mock/snapshots', { name: 'new' })
  const doc = (await s.app.inject({ method: 'GET', url: '/_mock/snapshots/new/export', headers: auth() })).json()
  const meetings = doc.tables.meetings
  const at = meetings.columns.indexOf('ai_config')
  const older = { ...doc, name: 'older', tables: { ...doc.tables, meetings: { columns: meetings.columns.filter((_: unknown, i: number) => i !== at), rows: meetings.rows.map((r: unknown[]) => r.filter((_, i) => i !== at)) } } }
  t.equal((await s.call('POST', '/_mock/snapshots/import', older)).status, 201)
  await meeting(s, { title: 'Later' })
  t.equal((await s.call('POST', '/_mock/snapshots/older/restore')).status, 200)
  const got = await s.call('GET', `/v2/meetings/${m.id}`)
  t.equal(got.json.data.title, 'Old')
  t.notOk(got.json.data.ai_config?.summarization, 'the column the document lacks is empty')
  t.equal((await s.call('GET', '/v2/meetings')).json.data.length, 1, 'the later meeting is gone')
})
