import type { Db } from './db.js'
import { createMeetingsRepo } from './meetings.js'
import { createParticipantsRepo } from './participants.js'
import { createSessionsRepo } from './sessions.js'
import { createRecordingsRepo } from './recordings.js'
import { createLivestreamSessionsRepo, createLivestreamsRepo } from './livestreams.js'
import { createWebhooksRepo } from './webhooks.js'
import { createOrgsRepo } from './orgs.js'
import { createMetaRepo } from './meta.js'
import { createTimersRepo } from './timers.js'
import { createEventsRepo } from './events.js'
import { createDeliveriesRepo, createInboxRepo } from './deliveries.js'
import { createPresetsRepo } from './presets.js'
import { createAppsRepo } from './apps.js'
import { createOrgRecordsRepo } from './org-records.js'
import { createFaultsRepo } from './faults.js'
import { createOwnersRepo } from './owners.js'
import { createSnapshotsRepo } from './snapshots.js'
import { createCoverageRepo } from './coverage.js'
import { createNamespaces, hiddenTables } from './namespaces.js'
import { createCommits } from './commits.js'

/**
 * A reset hides the org's rows (moving it to a new key, see namespaces.ts) rather than deleting
 * them when the org has at least this many rows in the counted tables; below it, deleting is
 * about as quick.
 */
export const HIDE_FROM = 500

export interface StoreOptions {
  /**
   * Whether a reset may hide a large org's rows and free them later (default true). Off when ids
   * repeat after a reset (--seed): the new rows would take ids the hidden ones still hold.
   */
  hideResets?: boolean
}

/**
 * Tables with an org_id column that are about the org's use of the emulator, not its state: a
 * snapshot neither saves nor restores them. Snapshots outlive a reset (a suite's fixtures);
 * coverage is wiped by one (it is the org's own record of what its suite did).
 */
export const asideTables = ['coverage', 'snapshots']

/**
 * The tables whose rows belong to one org: every table with an org_id column, read from the
 * schema, so a table added by a migration cannot be left out of a reset or a snapshot (only the
 * tables set aside above are). An org's whole state is their rows plus its row in orgs (the
 * clock, settings and id counter).
 */
function orgTablesOf (db: Db): string[] {
  return db.prepare<[], { name: string }>(`SELECT t.name FROM sqlite_schema t WHERE t.type = 'table'
      AND EXISTS (SELECT 1 FROM pragma_table_info(t.name) c WHERE c.name = 'org_id') ORDER BY t.name`)
    .all().map((t) => t.name).filter((name) => !asideTables.includes(name))
}

export function createStore (db: Db, { hideResets = true }: StoreOptions = {}) {
  // First: every statement prepared from here on joins the turn's transaction when it writes.
  const commits = createCommits(db)
  const orgTables = orgTablesOf(db)
  const ns = createNamespaces(db)
  const orgDeletes = orgTables.map((table) => ({ hidden: hiddenTables.includes(table), del: db.prepare(`DELETE FROM ${table} WHERE org_id = ?`) }))
  const bulk = db.prepare<[string], { n: number }>('SELECT coalesce(sum(n), 0) AS n FROM row_counts WHERE org = ?')
  const orgs = createOrgsRepo(db)
  const presets = createPresetsRepo(db)
  const apps = createAppsRepo(db)
  commits.onRollback(() => {
    orgs.forget()
    presets.forget()
    apps.forget()
    ns.reload()
  })
  return {
    db,
    orgTables,
    /** Group commit: the turn's transaction, which answers wait for. */
    commits,
    /**
     * Runs fn in one SQLite transaction: a savepoint of the turn's (see commits.ts), so all of fn's
     * writes or none of them are kept, and they commit with the turn's.
     */
    tx: <T>(fn: () => T): T => commits.transaction(fn),
    meta: createMetaRepo(db),
    orgs,
    meetings: ns.scoped(createMeetingsRepo(db)),
    participants: ns.scoped(createParticipantsRepo(db)),
    sessions: ns.scoped(createSessionsRepo(db)),
    recordings: ns.scoped(createRecordingsRepo(db)),
    livestreams: ns.scoped(createLivestreamsRepo(db)),
    livestreamSessions: ns.scoped(createLivestreamSessionsRepo(db)),
    webhooks: createWebhooksRepo(db),
    presets,
    apps,
    orgRecords: createOrgRecordsRepo(db),
    timers: createTimersRepo(db),
    events: ns.scoped(createEventsRepo(db)),
    deliveries: createDeliveriesRepo(db),
    inbox: createInboxRepo(db),
    faults: createFaultsRepo(db),
    owners: createOwnersRepo(db, orgTables, ns),
    snapshots: createSnapshotsRepo(db, orgTables, ns),
    /** Org keys, and the deleting of rows a reset hid. */
    namespaces: ns,
    coverage: createCoverageRepo(db),
    /**
     * Deletes the org's rows from every org table, or, for an org with many rows, hides them in
     * the tables namespaces.ts names (freed later by namespaces.purge) and deletes the rest; both
     * in one transaction, with `also` (the caller's part of the reset). Either way no reader sees
     * them once it returns.
     */
    resetOrg (orgId: string, also?: () => void) {
      const key = ns.key(orgId)
      // Hiding needs a transaction of its own, committed before this returns: the new key takes
      // effect in memory only then. The turn's writes so far commit first. Inside a caller's
      // transaction, the rows are deleted instead.
      let hide = hideResets && !commits.inCallerTransaction && bulk.get(key)!.n >= HIDE_FROM
      if (hide) {
        commits.flush()
        hide = !db.inTransaction
      }
      let moved: (() => void) | undefined
      db.transaction(() => {
        for (const { hidden, del } of orgDeletes) {
          if (!hidden) del.run(orgId)
          else if (!hide) del.run(key)
        }
        if (hide) moved = ns.rotate(orgId)
        also?.()
      })()
      moved?.()
      this.presets.forget(orgId)
    },
  }
}

export type Store = ReturnType<typeof createStore>
