// Group commit (store/commits.ts): the writes of one turn of the event loop commit together, and
// every answer waits for the commit of what it wrote or read. A commit that fails answers every
// request it held with its error, keeps none of their writes, and leaves nothing stale in memory.
import t from 'tap'
import { build, join, addParticipant, meeting, type TestServer } from './helpers.js'

const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
const diskFull = { success: false, error: { code: 507, message: 'dyte-mock could not write its database: the disk is full. Reads still work; writes work again once there is space' } }

/** Makes every COMMIT fail as a full disk does, until the returned function is called. */
function failCommits (s: TestServer) {
  const db = s.app.dyte.store.db
  const exec = db.exec
  db.exec = (sql: string) => {
    if (sql === 'COMMIT') throw full()
    return exec.call(db, sql)
  }
  return () => { db.exec = exec }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

t.test('group commit: requests made together commit together, and each is answered only once committed', async (t) => {
  const s = await build(t)
  await meeting(s) // the org exists
  const { commits, db } = s.app.dyte.store
  const before = commits.next()
  const committedAtAnswer: boolean[] = []
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    s.call('POST', '/v2/meetings', { title: `m${i}` }).then((r) => {
      committedAtAnswer.push(!db.inTransaction)
      return r
    })))
  t.same(answers.map((a) => a.status), Array(20).fill(201))
  t.same(committedAtAnswer, Array(20).fill(true), 'no answer arrived while its write was uncommitted')
  t.equal(commits.next() - before, 1, 'the 20 writes shared one transaction')
  t.equal((await s.call('GET', '/v2/meetings?per_page=1')).json.paging.total_count, 21)
})

t.test('group commit: a commit that fails answers every request it held with a 507 and keeps none of their writes', async (t) => {
  const s = await build(t)
  const kept = await meeting(s, { title: 'kept' })
  const restore = failCommits(s)
  const answers = await Promise.all([
    s.call('POST', '/v2/meetings', { title: 'lost 1' }),
    s.call('PATCH', `/v2/meetings/${kept.id}`, { title: 'lost rename' }),
    s.call('POST', '/v2/meetings', { title: 'new org, lost' }, 'org-new'),
  ])
  t.same(answers.map((a) => a.status), [507, 507, 507])
  for (const a of answers) t.same(a.json, diskFull)
  restore()

  const list = await s.call('GET', '/v2/meetings')
  t.same(list.json.data.map((m: any) => m.title), ['kept'], 'nothing of the failed turn is kept')
  t.equal(list.json.paging.total_count, 1)
  // The org first used in the failed turn is created again, with its built-in presets.
  const presets = await s.call('GET', '/v2/presets', undefined, 'org-new')
  t.equal(presets.status, 200)
  t.ok(presets.json.data.length > 0, 'the new org has its presets')
  t.equal((await meeting(s, { title: 'again' }, 'org-new')).title, 'again', 'writes work again')
})

t.test('group commit: after a failed commit, nothing read inside it is served from memory', async (t) => {
  const s = await build(t, { frozenAt: '2030-01-01T00:00:00.000Z' })
  await meeting(s, { title: 'kept' })
  const { store, clock } = s.app.dyte
  const restore = failCommits(s)
  // One turn: a write, a clock change, then the row and a list page read (both kept for reuse), all
  // undone. They are read last, so nothing but the rollback itself tells them from current ones.
  store.meetings.insert('org-a', { id: '00000000-0000-4000-8000-000000000001', title: 'undone', status: 'ACTIVE', preferred_region: null, record_on_start: false, live_stream_on_start: false, persist_chat: false, summarize_on_end: false, transcribe_on_end: false, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z' } as any)
  clock.advance('org-a', 60_000)
  t.equal(store.meetings.get('org-a', '00000000-0000-4000-8000-000000000001')?.title, 'undone', 'inside the turn, the row is read')
  t.equal(store.meetings.list('org-a', {}, { page_no: 1, per_page: 20 }).paging.total_count, 2, 'inside the turn, the write is seen')
  await turn()
  restore()
  t.equal(store.commits.open, false)
  const list = await s.call('GET', '/v2/meetings')
  t.same(list.json.data.map((m: any) => m.title), ['kept'], 'the page kept from inside the failed turn is not reused')
  t.equal((await s.call('GET', '/v2/meetings/00000000-0000-4000-8000-000000000001')).status, 404, 'nor the row')
  t.equal((await s.call('GET', '/_mock/clock')).json.data.now, '2030-01-01T00:00:00.000Z', 'the clock is read again from the database')
})

t.test('group commit: no webhook is sent for an event whose commit failed', async (t) => {
  const s = await build(t, { deliver: 'capture' })
  await s.call('POST', '/v2/webhooks', { name: 'w', url: 'http://127.0.0.1:9/w', events: ['meeting.started'] })
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  const restore = failCommits(s)
  const lost = await join(s, m.id, p.id)
  t.equal(lost.status, 507)
  await s.settled()
  restore()
  t.same(s.captured, [], 'the event that was undone went to no receiver')
  const again = await join(s, m.id, p.id)
  t.equal(again.status, 200)
  await s.settled()
  t.same(s.captured.map((c) => c.json.event), ['meeting.started'], 'the event of the write that committed is delivered, once')
})

t.test('group commit: a read waits for the writes it saw, and fails with them', async (t) => {
  const s = await build(t)
  await meeting(s, { title: 'kept' })
  const { store } = s.app.dyte
  const restore = failCommits(s)
  store.meetings.insert('org-a', { id: '00000000-0000-4000-8000-000000000002', title: 'undone', status: 'ACTIVE', preferred_region: null, record_on_start: false, live_stream_on_start: false, persist_chat: false, summarize_on_end: false, transcribe_on_end: false, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z' } as any)
  const read = await s.call('GET', '/v2/meetings/00000000-0000-4000-8000-000000000002')
  t.equal(read.status, 507, 'the meeting it read was never committed')
  restore()
  t.equal((await s.call('GET', '/v2/meetings/00000000-0000-4000-8000-000000000002')).status, 404)
})

t.test('group commit: a request whose writes committed is not failed by another turn that failed meanwhile', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const restore = failCommits(s)
  // Adding a participant signs its token first and writes after it: the signing is held until the
  // meeting's commit has failed and been restored, so the participant is written in a later turn.
  const tokens = s.app.dyte.tokens
  const sign = tokens.sign
  let release!: () => void
  const held = new Promise<void>((resolve) => { release = resolve })
  tokens.sign = async (...args) => {
    await held
    return sign.apply(tokens, args)
  }
  const adding = s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', name: 'Ada' })
  const lost = await s.call('POST', '/v2/meetings', { title: 'lost' })
  restore()
  release()
  const added = await adding
  t.equal(lost.status, 507)
  t.equal(added.status, 201, 'its own commit worked')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/participants/${added.json.data.id}`)).json.data.name, 'Ada', 'and its write is kept')
  t.same((await s.call('GET', '/v2/meetings')).json.data.map((x: any) => x.title), ['Standup'])
})
