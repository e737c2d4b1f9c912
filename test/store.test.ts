// The store as a whole: a reset of an org empties every table that holds its data, found from the
// schema, so a table added later cannot be forgotten; and its time comes only from the org clock.
import t, { type Test } from 'tap'
import { openDb } from '../src/store/db.js'
import { asideTables, createStore, type Store } from '../src/store/index.js'
import { UNSTAMPED } from '../src/store/presets.js'
import { createCommits } from '../src/store/commits.js'
import { oneRow, pagedList, statementCache } from '../src/store/query.js'
import { addParticipant, build, meeting, type TestServer } from './helpers.js'
import { receiver } from './receiver.js'

const T0 = '2030-01-01T00:00:00.000Z'

/**
 * Tables that belong to the whole server, not to one org (every other table has an org_id column),
 * or that are about the org tables' rows: their counts (row_counts, kept by triggers) and the keys
 * they carry (org_keys, dead_keys: see namespaces.ts).
 */
const instanceWide = ['apps', 'dead_keys', 'meta', 'org_keys', 'org_records', 'orgs', 'row_counts']

const tables = (store: Store) =>
  store.db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((r) => r.name)

/** The org's row count in every org table. */
const counts = (store: Store, orgId: string) =>
  Object.fromEntries(store.orgTables.map((table) => [table, (store.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE org_id = ?`).get(orgId) as { n: number }).n]))

/** Puts a row for the org in every table an org has rows in, through the API. */
async function fill (t: Test, s: TestServer, hooksUrl: string, org: string) {
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, org)
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: hooksUrl, events: ['meeting.started'] }, org)).json.data
  const m = await meeting(s, { title: 'Standup' }, org)
  const p = await addParticipant(s, m.id, { name: 'Jane' }, org)
  t.equal((await s.call('POST', '/_mock/join', { token: p.token }, org)).status, 200)
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: m.id }, org)).status, 201)
  t.equal((await s.call('POST', `/v2/meetings/${m.id}/livestreams`, {}, org)).status, 201)
  t.equal((await s.call('POST', '/_mock/faults', { path: '/v2/not-called', status: 503 }, org)).status, 201)
  const delivered = await s.call('GET', '/_mock/webhook-deliveries/wait?event=meeting.started', undefined, org)
  t.equal(delivered.status, 200)
  const d = delivered.json.data[0]
  // The delivery handed to the built-in receiver too, as when a webhook's url points at it.
  const inbox = await s.app.inject({
    method: 'POST', url: '/_mock/inbox/hooks', payload: d.body,
    headers: { 'content-type': 'application/json', 'dyte-uuid': d.id, 'dyte-webhook-id': hook.id },
  })
  t.equal(inbox.statusCode, 200)
}

t.test('reset: every table with the org\'s data is emptied for that org, and only for it', async (t) => {
  const s = await build(t)
  const r = await receiver()
  t.teardown(r.close)
  const { store } = s.app.dyte
  t.same(tables(store).filter((table) => !store.orgTables.includes(table) && !asideTables.includes(table)), instanceWide,
    'a table that holds an org\'s data has an org_id column (or is declared instance-wide above)')

  await fill(t, s, r.url, 'org-a')
  await fill(t, s, r.url, 'org-b')
  const a = counts(store, 'org-a')
  const b = counts(store, 'org-b')
  for (const table of store.orgTables) t.ok(a[table] > 0 && b[table] > 0, `${table} has rows of both orgs before the reset`)

  t.equal((await s.call('POST', '/_mock/reset', undefined, 'org-a')).status, 200)
  t.same(counts(store, 'org-a'), Object.fromEntries(store.orgTables.map((table) => [table, 0])), 'nothing of org-a is left')
  t.same(counts(store, 'org-b'), b, 'org-b keeps all of its rows')
  t.same(store.db.prepare('SELECT id FROM orgs ORDER BY id').all(), [{ id: 'org-b' }], 'org-a\'s clock and settings are gone')
})

t.test('reset: a table a later migration adds with an org_id column is emptied too', async (t) => {
  const db = openDb(':memory:')
  t.teardown(() => db.close())
  db.exec('CREATE TABLE later_things (seq INTEGER PRIMARY KEY, org_id TEXT NOT NULL, what TEXT NOT NULL) STRICT')
  const store = createStore(db)
  t.ok(store.orgTables.includes('later_things'))
  const insert = db.prepare('INSERT INTO later_things (org_id, what) VALUES (?, ?)')
  insert.run('org-a', 'x')
  insert.run('org-b', 'y')
  store.resetOrg('org-a')
  t.same(db.prepare('SELECT org_id, what FROM later_things').all(), [{ org_id: 'org-b', what: 'y' }])
})

t.test('presets: built-in presets are stamped with the org clock the store is given, never the wall clock', async (t) => {
  const store = createStore(openDb(':memory:'))
  t.teardown(() => store.db.close())
  store.presets.insert('org-a', { id: 'p1', name: 'host', created_at: UNSTAMPED, updated_at: UNSTAMPED, config: {} })
  t.throws(() => store.presets.get('org-a', 'p1'), /no org clock/, 'without a clock it refuses rather than read the wall clock')
  store.presets.stampWith((orgId) => (orgId === 'org-a' ? T0 : 'another org'))
  t.match(store.presets.list('org-a', undefined, { page_no: 1, per_page: 10 }).data, [{ id: 'p1', created_at: T0, updated_at: T0 }])
})

t.test('lists: a page read again before a write is the same page, each caller with rows of its own', async (t) => {
  const db = openDb(':memory:')
  t.teardown(() => db.close())
  createCommits(db) // as createStore does: writes move the data version
  db.exec('CREATE TABLE things (seq INTEGER PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL) STRICT')
  const insert = db.prepare('INSERT INTO things (org_id, name) VALUES (?, ?)')
  for (const name of ['a', 'b', 'c']) insert.run('org-a', name)
  const prepare = statementCache(db)
  const list = () => pagedList<{ name: string }>(prepare, 'things', [['org_id = ?', 'org-a']], 'seq DESC', { page_no: 1, per_page: 2 })

  const first = list()
  t.same(first.rows.map((r) => r.name), ['c', 'b'])
  t.same(first.paging, { total_count: 3, start_offset: 1, end_offset: 2 })
  first.rows[0].name = 'changed by its caller'
  first.paging.total_count = -1
  const again = list()
  t.same(again.rows.map((r) => r.name), ['c', 'b'], 'a caller that changes its rows changes nobody else\'s')
  t.equal(again.paging.total_count, 3)

  insert.run('org-a', 'd')
  t.same(list().rows.map((r) => r.name), ['d', 'c'], 'a write is seen by the next read')
  t.equal(list().paging.total_count, 4)
  db.prepare("UPDATE things SET name = 'C' WHERE name = 'c'").run()
  t.same(list().rows.map((r) => r.name), ['d', 'C'], 'an update too')
  db.prepare("DELETE FROM things WHERE name = 'd'").run()
  t.same(list().rows.map((r) => r.name), ['C', 'b'], 'and a delete')
  t.equal(list().paging.total_count, 3)
})

t.test('rows: a row read again before a write is the same row, each caller with an object of its own', async (t) => {
  for (const grouped of [true, false]) {
    const db = openDb(':memory:')
    t.teardown(() => db.close())
    if (grouped) createCommits(db)
    db.exec('CREATE TABLE things (seq INTEGER PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL) STRICT')
    db.prepare('INSERT INTO things (org_id, name) VALUES (?, ?)').run('org-a', 'a')
    const byName = db.prepare('SELECT * FROM things WHERE org_id = ? AND name = ?')
    const read = (name: string) => oneRow<{ seq: number, name: string }>(byName, ['org-a', name])

    const first = read('a')!
    t.same(first, { seq: 1, org_id: 'org-a', name: 'a' })
    first.name = 'changed by its caller'
    t.equal(read('a')?.name, 'a', 'a caller that changes its row changes nobody else\'s')
    t.equal(read('b'), undefined)
    db.prepare("UPDATE things SET name = 'b' WHERE name = 'a'").run()
    t.equal(read('a'), undefined, 'a write is seen by the next read')
    t.same(read('b'), { seq: 1, org_id: 'org-a', name: 'b' }, 'a row that was missing is found once written')
    db.exec("DELETE FROM things WHERE name = 'b'")
    t.equal(read('b'), undefined, 'so is a change made by exec')
  }
})
