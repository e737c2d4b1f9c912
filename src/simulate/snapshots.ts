// Snapshots (/_mock/snapshots): an org's whole state saved under a name and brought back in one
// transaction, so a suite builds its fixtures once and restores them before every test. The
// state is every row of every org table (store.orgTables, read from the schema) plus the org's
// row in orgs: its clock, settings and the id counter behind --seed. Due transitions (timers),
// the outbox (deliveries), faults and events are org tables, so they come back too. Snapshots
// are kept in the database, outlive a reset, and export as one JSON document (a fixture file).
import { badRequest, notFoundMessage } from '../errors.js'
import type { Store } from '../store/index.js'
import type { OrgRow } from '../store/orgs.js'
import type { Page } from '../store/query.js'
import type { Loadable, SnapshotInfo, TableRows } from '../store/snapshots.js'
import { latestVersion } from '../store/migrations/index.js'
import type { Orgs } from './orgs.js'

export const SNAPSHOT_FORMAT = 'dyte-mock-snapshot'
export const SNAPSHOT_VERSION = 1

/** The export document (its schema is SnapshotDocument in spec/mock.yaml). */
export interface SnapshotDoc {
  format: typeof SNAPSHOT_FORMAT
  version: typeof SNAPSHOT_VERSION
  name: string
  org_id: string
  created_at: string
  /** The database schema (migration) version the rows were read with. */
  schema_version: number
  org: Omit<OrgRow, 'settings'> & { settings: Record<string, unknown> }
  tables: Record<string, TableRows>
}

export interface SnapshotDeps { store: Store, now: (orgId: string) => string, orgs: Pick<Orgs, 'ensure' | 'forget'> }

/** A document and its rows made ready to restore. */
interface Ready { doc: SnapshotDoc, tables: Record<string, Loadable> }

/** Thrown inside a transaction to undo a trial restore. */
class TrialDone extends Error {}

export function createSnapshots (ctx: SnapshotDeps) {
  const { store } = ctx
  // Parsed documents by org and name, ready to restore: a restore before every test reads and
  // parses nothing. This process is the database's only writer (it holds it locked).
  const parsed = new Map<string, Ready>()
  const keyOf = (orgId: string, name: string) => `${orgId}\u0000${name}`
  const info = (doc: SnapshotDoc): SnapshotInfo => ({
    name: doc.name, org_id: doc.org_id, created_at: doc.created_at,
    rows: Object.values(doc.tables).reduce((n, t) => n + t.rows.length, 0),
  })

  const stored = (orgId: string, name: string) => {
    const text = store.snapshots.doc(orgId, name)
    if (text === undefined) throw notFoundMessage(`No snapshot named ${name} (GET /_mock/snapshots lists the org's)`)
    return text
  }

  const ready = (doc: SnapshotDoc): Ready => ({ doc, tables: store.snapshots.loadable(doc.tables) })

  function load (orgId: string, name: string): Ready {
    let hit = parsed.get(keyOf(orgId, name))
    if (!hit) parsed.set(keyOf(orgId, name), hit = ready(JSON.parse(stored(orgId, name)) as SnapshotDoc))
    return hit
  }

  function save (doc: SnapshotDoc) {
    const i = info(doc)
    store.snapshots.put(doc.org_id, i, JSON.stringify(doc))
    parsed.set(keyOf(doc.org_id, doc.name), ready(doc))
    return i
  }

  /** Replaces the org's rows with the document's (the caller's transaction). */
  function write ({ doc, tables }: Ready) {
    store.orgs.restore(doc.org_id, { ...doc.org, settings: JSON.stringify(doc.org.settings) })
    store.snapshots.restore(doc.org_id, tables)
  }

  /** What is wrong with a document the spec's schema accepted, against this database's schema; undefined if nothing. */
  function problem (doc: SnapshotDoc): string | undefined {
    if (doc.schema_version > latestVersion) return `schema_version ${doc.schema_version} is newer than this server's database (${latestVersion}): upgrade dyte-mock`
    for (const [table, t] of Object.entries(doc.tables)) {
      const known = store.snapshots.columns(table)
      if (!known) return `tables.${table} is not a table of an org's state (those are ${store.orgTables.join(', ')})`
      const unknown = t.columns.find((c) => !known.includes(c))
      if (unknown !== undefined) return `tables.${table}.columns: ${unknown} is not a column of ${table}`
      const orgAt = t.columns.indexOf('org_id')
      if (orgAt < 0) return `tables.${table}.columns must include org_id`
      const bad = t.rows.findIndex((r) => r.length !== t.columns.length || r[orgAt] !== doc.org_id)
      if (bad >= 0) {
        return t.rows[bad].length !== t.columns.length
          ? `tables.${table}.rows[${bad}] has ${t.rows[bad].length} values for ${t.columns.length} columns`
          : `tables.${table}.rows[${bad}] belongs to org ${String(t.rows[bad][orgAt])}, not to the snapshot's org ${doc.org_id}`
      }
    }
    // The rows themselves (types, required values, ids another org holds) are checked by writing
    // them in a transaction that is then undone.
    try {
      store.tx(() => {
        write(ready(doc))
        throw new TrialDone()
      })
    } catch (err) {
      if (err instanceof TrialDone) return undefined
      if ((err as { code?: string }).code?.startsWith('SQLITE_')) return `the rows cannot be stored: ${(err as Error).message}`
      throw err
    }
  }

  return {
    /** POST /_mock/snapshots: saves the org's state under `name` (replacing a snapshot of that name). */
    create (orgId: string, name: string) {
      ctx.orgs.ensure(orgId)
      return store.tx(() => {
        const row = store.orgs.row(orgId)!
        const doc: SnapshotDoc = {
          format: SNAPSHOT_FORMAT,
          version: SNAPSHOT_VERSION,
          name,
          org_id: orgId,
          created_at: ctx.now(orgId),
          schema_version: latestVersion,
          org: { ...row, settings: JSON.parse(row.settings) as Record<string, unknown> },
          tables: store.snapshots.dump(orgId),
        }
        return save(doc)
      })
    },

    list: (orgId: string, page: Page) => store.snapshots.list(orgId, page),

    /** The snapshot as one JSON document (the stored text, byte for byte). */
    export: stored,

    /**
     * POST /_mock/snapshots/import and --fixtures: stores a document (valid by the spec's schema)
     * under its name for the org it names, once everything in it is known to fit; a document that
     * does not is refused whole (400), and nothing is stored.
     */
    import (doc: SnapshotDoc, callerOrg?: string) {
      if (callerOrg !== undefined && doc.org_id !== callerOrg) {
        throw badRequest(`org_id: the snapshot is of org ${doc.org_id}; import it with that org's credentials (ids are unique across orgs, so it cannot be restored into ${callerOrg})`)
      }
      const wrong = problem(doc)
      if (wrong) throw badRequest(wrong)
      return save(doc)
    },

    /** POST /_mock/snapshots/{name}/restore: the org's state becomes the snapshot's, in one transaction. */
    restore (orgId: string, name: string) {
      const snapshot = load(orgId, name)
      store.tx(() => write(snapshot))
      ctx.orgs.ensure(orgId)
      ctx.orgs.forget(orgId, 'restored')
      return info(snapshot.doc)
    },

    remove (orgId: string, name: string) {
      const { doc } = load(orgId, name)
      store.snapshots.remove(orgId, name)
      parsed.delete(keyOf(orgId, name))
      return info(doc)
    },
  }
}

export type Snapshots = ReturnType<typeof createSnapshots>
