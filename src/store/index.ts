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

export function createStore (db: Db) {
  const orgTables = orgTablesOf(db)
  const orgDeletes = orgTables.map((table) => db.prepare(`DELETE FROM ${table} WHERE org_id = ?`))
  return {
    db,
    orgTables,
    /** Runs fn in one SQLite transaction (nested calls join the outer one). */
    tx: <T>(fn: () => T): T => db.transaction(fn)(),
    meta: createMetaRepo(db),
    orgs: createOrgsRepo(db),
    meetings: createMeetingsRepo(db),
    participants: createParticipantsRepo(db),
    sessions: createSessionsRepo(db),
    recordings: createRecordingsRepo(db),
    livestreams: createLivestreamsRepo(db),
    livestreamSessions: createLivestreamSessionsRepo(db),
    webhooks: createWebhooksRepo(db),
    presets: createPresetsRepo(db),
    apps: createAppsRepo(db),
    orgRecords: createOrgRecordsRepo(db),
    timers: createTimersRepo(db),
    events: createEventsRepo(db),
    deliveries: createDeliveriesRepo(db),
    inbox: createInboxRepo(db),
    faults: createFaultsRepo(db),
    owners: createOwnersRepo(db, orgTables),
    snapshots: createSnapshotsRepo(db, orgTables),
    coverage: createCoverageRepo(db),
    /** Deletes the org's rows from every org table (its row in orgs, with the clock and settings, is the caller's). */
    resetOrg (orgId: string) {
      db.transaction(() => {
        for (const del of orgDeletes) del.run(orgId)
      })()
      this.presets.forget(orgId)
    },
  }
}

export type Store = ReturnType<typeof createStore>
