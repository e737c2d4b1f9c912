// Resetting a large org: its rows are gone for every reader the moment the reset answers (they are
// hidden under the org's old key), and the hidden rows are then really deleted, batch by batch.
import t from 'tap'
import { openDb } from '../src/store/db.js'
import { createStore, HIDE_FROM, type Store } from '../src/store/index.js'
import { hiddenTables, startPurge } from '../src/store/namespaces.js'
import type { Meeting } from '../src/store/meetings.js'
import { addParticipant, build, join, meeting, ORG, type TestServer } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'

const bare = (id: string): Meeting => ({
  id, title: 'bulk', preferred_region: null, record_on_start: false, live_stream_on_start: false, persist_chat: false,
  summarize_on_end: false, transcribe_on_end: false, status: 'ACTIVE', created_at: T0, updated_at: T0,
})

/** Enough meetings, written through the store, for a reset to hide the org's rows rather than delete them. */
function bulk (store: Store, org: string, n = HIDE_FROM) {
  store.tx(() => { for (let i = 0; i < n; i++) store.meetings.insert(org, bare(crypto.randomUUID())) })
}

/** Rows of every org in each hidden table (what is physically there). */
const physical = (store: Store) =>
  Object.fromEntries(hiddenTables.map((table) => [table, (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]))

/** An org with a row in every hidden table, made through the API. */
async function fill (s: TestServer, org = ORG) {
  const m = await meeting(s, { title: 'Standup' }, org)
  const p = await addParticipant(s, m.id, { name: 'Jane' }, org)
  const joined = (await join(s, m.id, p.id, org)).json.data
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id }, org)).json.data
  const l = (await s.call('POST', `/v2/meetings/${m.id}/livestreams`, {}, org)).json.data
  return { m, p, sessionId: joined.session_id as string, peerId: joined.peer_id as string, r, l }
}

t.test('reset of a large org: everything is gone at once for readers, then freed in batches', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const { store } = s.app.dyte
  s.app.dyte.purge.stop() // the test drives the deleting itself
  const old = await fill(s)
  bulk(store, ORG)
  const other = await fill(s, 'org-b')
  const before = physical(store)
  for (const table of hiddenTables) t.ok(before[table] > 0, `${table} has rows before the reset`)

  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  const get = async (url: string) => (await s.call('GET', url)).status
  for (const url of ['/v2/meetings', '/v2/sessions', '/v2/recordings', '/v2/livestreams', '/_mock/events']) {
    const r = await s.call('GET', url)
    t.equal(r.status, 200)
    t.same([r.json.data.length, r.json.paging.total_count], [0, 0], `${url} is empty`)
  }
  t.equal(await get(`/v2/meetings/${old.m.id}`), 404, 'the old meeting is 404')
  t.equal(await get(`/v2/meetings/${old.m.id}/participants/${old.p.id}`), 404)
  t.equal(await get(`/v2/sessions/${old.sessionId}`), 404)
  t.equal(await get(`/v2/sessions/${old.sessionId}/participants/${old.peerId}`), 404)
  t.equal(await get(`/v2/recordings/${old.r.id}`), 404)
  t.equal(await get(`/v2/livestreams/${old.l.id}`), 404)
  t.notMatch((await s.call('GET', `/v2/meetings/${old.m.id}`)).json.error.message, /exists in org/, 'no hint points at the hidden row')
  t.same(physical(store), before, 'the rows are hidden, not yet deleted')

  // The org works as new, under its new key, with answers showing its own id.
  const fresh = await fill(s)
  t.equal((await s.call('GET', '/v2/meetings')).json.paging.total_count, 1)
  t.equal((await s.call('GET', `/v2/sessions/${fresh.sessionId}`)).json.data.organization_id, ORG)
  t.equal((await s.call('GET', `/v2/meetings/${fresh.m.id}`)).status, 200)
  t.equal((await s.call('GET', `/v2/meetings/${other.m.id}`, undefined, 'org-b')).status, 200, 'another org keeps its rows')

  let steps = 0
  while (store.namespaces.purge(100) > 0) steps++
  t.ok(steps >= Math.floor(HIDE_FROM / 100), `freed in batches of at most 100 (${steps} batches)`)
  t.notOk(store.namespaces.pending(), 'nothing left to free')
  const after = physical(store)
  // The org's old rows (a fill and the bulk meetings) are gone; its new fill and org-b's are left.
  for (const table of hiddenTables) t.equal(after[table], before[table] - (table === 'meetings' ? HIDE_FROM : 0), `${table}: only the new rows and org-b's are left`)
  t.equal(after.meetings, 2, 'the new meeting and org-b\'s')
  t.equal((store.db.prepare('SELECT count(*) AS n FROM dead_keys').get() as { n: number }).n, 0)
  t.same(store.db.prepare("SELECT DISTINCT org FROM row_counts WHERE org LIKE 'org-a%' AND n > 0").all().length, 1, 'only the live key is counted')
  t.equal((await s.call('GET', '/v2/meetings')).json.paging.total_count, 1, 'and the lists are unchanged by the deleting')
})

t.test('reset of a large org twice, snapshots across keys, and a restart that finds the keys again', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const { store } = s.app.dyte
  s.app.dyte.purge.stop()
  bulk(store, ORG)
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  const a = await fill(s)
  t.equal((await s.call('POST', '/_mock/snapshots', { name: 'one' })).status, 201)
  const doc = (await s.call('GET', '/_mock/snapshots/one/export')).json
  t.same(doc.tables.meetings.rows.map((r: unknown[]) => r[doc.tables.meetings.columns.indexOf('org_id')]), [ORG], 'a snapshot holds the org id, not the key')

  await meeting(s, { title: 'after the snapshot' })
  t.equal((await s.call('POST', '/_mock/snapshots/one/restore')).status, 200)
  t.same((await s.call('GET', '/v2/meetings')).json.data.map((m: any) => m.id), [a.m.id], 'restored under the key')

  bulk(store, ORG)
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  t.equal((await s.call('GET', '/v2/meetings')).json.paging.total_count, 0, 'a second reset hides again')
  t.equal((await s.call('POST', '/_mock/snapshots/one/restore')).status, 200)
  t.same((await s.call('GET', '/v2/meetings')).json.data.map((m: any) => m.id), [a.m.id], 'a snapshot restores into the org\'s next key')
  t.equal((await s.call('GET', `/v2/sessions/${a.sessionId}`)).json.data.organization_id, ORG)

  // A second store on the same database (as after a restart) reads the same keys.
  const again = createStore(store.db)
  t.same(again.meetings.list(ORG, {}, { page_no: 1, per_page: 10 }).data.map((m) => m.id), [a.m.id])
  t.ok(again.namespaces.pending(), 'and knows what is still to free')
  while (again.namespaces.purge() > 0);
  t.equal((store.db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n, 1)
})

t.test('reset with --seed or of a small org deletes at once (the seeded ids repeat after a reset)', async (t) => {
  for (const [name, options, n] of [['seeded', { seed: 'fixed' }, HIDE_FROM], ['small', {}, HIDE_FROM - 10]] as const) {
    const s = await build(t, { frozenAt: T0, ...options })
    const { store } = s.app.dyte
    const first = await meeting(s)
    bulk(store, ORG, n)
    t.equal((await s.call('POST', '/_mock/reset')).status, 200)
    t.same(physical(store), Object.fromEntries(hiddenTables.map((table) => [table, 0])), `${name}: nothing is left`)
    t.notOk(store.namespaces.pending(), `${name}: nothing to free`)
    const second = await meeting(s)
    if (name === 'seeded') t.equal(second.id, first.id, 'the seeded ids start over')
  }
})

t.test('the background purge: one batch per step while rows are hidden, none after stop', async (t) => {
  const store = createStore(openDb(':memory:'))
  t.teardown(() => store.db.close())
  bulk(store, ORG, HIDE_FROM + 100)
  store.resetOrg(ORG)
  t.ok(store.namespaces.pending())
  const queued: Array<() => void> = []
  const errors: unknown[] = []
  const purge = startPurge(store.namespaces, (e) => errors.push(e), (step) => { queued.push(step); return () => queued.splice(queued.indexOf(step), 1) })
  t.equal(queued.length, 1, 'a step is queued at start when rows are hidden')
  purge.kick()
  t.equal(queued.length, 1, 'one at a time')
  queued.shift()!()
  t.equal((store.db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n, 100, 'a step deletes one batch (500)')
  t.equal(queued.length, 1, 'and queues the next')
  queued.shift()!()
  t.equal((store.db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n, 0)
  t.notOk(store.namespaces.pending())
  t.equal(queued.length, 0, 'nothing queued once all is freed')

  bulk(store, ORG, HIDE_FROM)
  store.resetOrg(ORG)
  purge.kick()
  t.equal(queued.length, 1, 'a reset kicks it again')
  purge.stop()
  t.equal(queued.length, 0, 'stop cancels the queued step')
  purge.kick()
  t.equal(queued.length, 0, 'and nothing runs after it')

  // A batch that fails is reported, and the purge waits for the next kick.
  const failing = startPurge({ pending: () => true, purge: () => { throw new Error('disk full') } }, (e) => errors.push(e), (step) => { queued.push(step); return () => {} })
  queued.shift()!()
  t.match(errors, [{ message: 'disk full' }])
  t.equal(queued.length, 0)
  failing.stop()
})
