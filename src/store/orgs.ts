import type { Db } from './db.js'

export interface OrgClock { frozen_at_ms: number | null, offset_ms: number }

/** An org's row: when it was first used, its clock, settings (JSON) and id counter. */
export interface OrgRow extends OrgClock { created_at: string, settings: string, id_seq: number }

/**
 * Org namespaces, created on first use, with their clock, settings and id counter, and whether
 * they were reached through RealtimeKit's paths (kept out of OrgRow: a snapshot does not carry it).
 */
export function createOrgsRepo (db: Db) {
  const known = new Set<string>()
  const realtimeKitOrgs = new Map<string, boolean>()
  const insert = db.prepare('INSERT OR IGNORE INTO orgs (id, created_at) VALUES (?, ?)')
  const clockOf = db.prepare<[string], OrgClock>('SELECT frozen_at_ms, offset_ms FROM orgs WHERE id = ?')
  const setClock = db.prepare('UPDATE orgs SET frozen_at_ms = ?, offset_ms = ? WHERE id = ?')
  const settingsOf = db.prepare<[string], { settings: string }>('SELECT settings FROM orgs WHERE id = ?')
  const setSettings = db.prepare('UPDATE orgs SET settings = ? WHERE id = ?')
  const nextId = db.prepare<[string], { id_seq: number }>('UPDATE orgs SET id_seq = id_seq + 1 WHERE id = ? RETURNING id_seq')
  const remove = db.prepare('DELETE FROM orgs WHERE id = ?')
  const realtimeKitOf = db.prepare<[string], { realtimekit: number }>('SELECT realtimekit FROM orgs WHERE id = ?')
  const markRealtimeKit = db.prepare('UPDATE orgs SET realtimekit = 1 WHERE id = ?')
  const row = db.prepare<[string], OrgRow>('SELECT created_at, frozen_at_ms, offset_ms, settings, id_seq FROM orgs WHERE id = ?')
  const put = db.prepare(`INSERT INTO orgs (id, created_at, frozen_at_ms, offset_ms, settings, id_seq) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, frozen_at_ms = excluded.frozen_at_ms,
    offset_ms = excluded.offset_ms, settings = excluded.settings, id_seq = excluded.id_seq`)
  return {
    /** A transaction was rolled back: what is remembered about orgs is read again. */
    forget () {
      known.clear()
      realtimeKitOrgs.clear()
    },
    isKnown: (orgId: string) => known.has(orgId),
    /** Creates the org on first use; true when it was created now. */
    ensure (orgId: string, now: string): boolean {
      if (known.has(orgId)) return false
      const created = insert.run(orgId, now).changes === 1
      known.add(orgId)
      return created
    },
    clock: (orgId: string) => clockOf.get(orgId),
    setClock: (orgId: string, c: OrgClock) => { setClock.run(c.frozen_at_ms, c.offset_ms, orgId) },
    settings: (orgId: string) => JSON.parse(settingsOf.get(orgId)?.settings ?? '{}') as Record<string, unknown>,
    setSettings: (orgId: string, s: Record<string, unknown>) => { setSettings.run(JSON.stringify(s), orgId) },
    nextIdSeq: (orgId: string) => nextId.get(orgId)?.id_seq ?? 0,
    row: (orgId: string) => row.get(orgId),
    /** Whether the org was reached through RealtimeKit's paths (looked up once, then remembered). */
    realtimeKit (orgId: string): boolean {
      let is = realtimeKitOrgs.get(orgId)
      if (is === undefined) realtimeKitOrgs.set(orgId, is = (realtimeKitOf.get(orgId)?.realtimekit ?? 0) === 1)
      return is
    },
    /** Records that the (existing) org was reached through RealtimeKit's paths: from now on, and after restarts, it is an app. */
    markRealtimeKit (orgId: string) {
      if (realtimeKitOrgs.get(orgId) === true) return
      markRealtimeKit.run(orgId)
      realtimeKitOrgs.set(orgId, true)
    },
    /** Puts the org's row back as a snapshot saved it (ensure then finds it known). */
    restore (orgId: string, r: OrgRow) { put.run(orgId, r.created_at, r.frozen_at_ms, r.offset_ms, r.settings, r.id_seq) },
    remove (orgId: string) {
      remove.run(orgId)
      known.delete(orgId)
      realtimeKitOrgs.delete(orgId)
    },
  }
}
