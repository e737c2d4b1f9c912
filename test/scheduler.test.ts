// The scheduler runs due transitions, each in its own savepoint of the transaction that removes
// its timer: one that throws leaves nothing behind and does not block the ones after it.
import t from 'tap'
import { openDb } from '../src/store/db.js'
import { createStore } from '../src/store/index.js'
import { createOrgClocks } from '../src/simulate/clock.js'
import { createScheduler } from '../src/simulate/scheduler.js'
import type { Timer } from '../src/store/timers.js'

const T0 = Date.parse('2030-01-01T00:00:00.000Z')

t.test('scheduler: a transition that throws leaves no partial writes, its timer is gone, the next one runs', async (t) => {
  const db = openDb(':memory:')
  t.teardown(() => db.close())
  const store = createStore(db)
  const clocks = createOrgClocks(store, () => T0)
  clocks.freeze('org-a', T0)
  const failed: Array<[string, Timer]> = []
  const scheduler = createScheduler(store, clocks, (err, timer) => failed.push([(err as Error).message, timer]))
  t.teardown(() => scheduler.close())
  const record = (refId: string, atMs: number) => store.events.insert('org-a', {
    id: `e-${refId}`, type: 'recording.statusUpdate', meeting_id: null, session_id: null, at: new Date(atMs).toISOString(), payload: {},
  })
  scheduler.on('breaks', (_orgId, refId, atMs) => {
    record(refId, atMs)
    throw new Error('no longer applies')
  })
  scheduler.on('works', (_orgId, refId, atMs) => { record(refId, atMs) })
  store.tx(() => {
    scheduler.schedule('org-a', T0 + 1000, 'breaks', 'r1')
    scheduler.schedule('org-a', T0 + 2000, 'works', 'r2')
  })

  t.equal(scheduler.runDue('org-a', T0 + 5000), 2, 'both timers ran')
  t.same(store.events.after('org-a', 0).map((e) => e.id), ['e-r2'], 'only the transition that completed left its write')
  t.match(failed, [['no longer applies', { kind: 'breaks', ref_id: 'r1', due_at_ms: T0 + 1000 }]], 'the failure was reported')
  t.equal(store.timers.nextDue('org-a', Number.MAX_SAFE_INTEGER), undefined, 'no timer is left to run again')
})
