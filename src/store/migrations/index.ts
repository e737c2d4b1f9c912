// Schema migrations, one file per version (NNN-name.ts): migration N brings user_version from
// N-1 to N in one transaction. Append only; never edit a released migration, since databases that
// ran it would then differ from new ones.
import { migration as core } from './001-core.js'
import { migration as faults } from './002-faults.js'
import { migration as appCreator } from './003-app-creator.js'
import { migration as inboxOrg } from './004-inbox-org.js'
import { migration as snapshotsCoverage } from './005-snapshots-coverage.js'
import { migration as orgRealtimeKit } from './006-org-realtimekit.js'
import { migration as rowCounts } from './007-counts-namespaces.js'

export interface Migration {
  /** The schema version (user_version) a database has once this has run. */
  version: number
  /** Its file's name without the number. */
  name: string
  sql: string
}

/** In version order: migrations[i] has version i + 1. */
export const migrations: readonly Migration[] = [core, faults, appCreator, inboxOrg, snapshotsCoverage, orgRealtimeKit, rowCounts]

export const latestVersion = migrations.length
