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

const orgTables = ['livestream_sessions', 'delivery_attempts', 'deliveries', 'inbox', 'events', 'timers', 'session_participants', 'sessions', 'recordings', 'livestreams', 'webhooks', 'participants', 'meetings', 'presets', 'faults']

export function createStore (db: Db) {
  return {
    db,
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
    /** Deletes everything the org owns, its clock and settings included. */
    resetOrg (orgId: string) {
      db.transaction(() => {
        for (const table of orgTables) db.prepare(`DELETE FROM ${table} WHERE org_id = ?`).run(orgId)
      })()
      this.presets.forget(orgId)
    },
  }
}

export type Store = ReturnType<typeof createStore>
