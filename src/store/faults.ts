import type { Db } from './db.js'

/** What a fault matches and how it answers (the body of POST /_mock/faults, defaults applied). */
export interface FaultSpec {
  method?: string
  path?: string
  operation_id?: string
  status?: number
  message?: string
  retry_after_s?: number
  delay_ms?: number
  reset?: boolean
  skip: number
  times?: number
}

export interface Fault { id: string, spec: FaultSpec, skip_left: number, times_left: number | null, hits: number, created_at: string }

interface Row { id: string, spec: string, skip_left: number, times_left: number | null, hits: number, created_at: string }
const fromRow = (r: Row): Fault => ({ ...r, spec: JSON.parse(r.spec) as FaultSpec })

export function createFaultsRepo (db: Db) {
  const insert = db.prepare('INSERT INTO faults (id, org_id, spec, skip_left, times_left, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const all = db.prepare<[string], Row>('SELECT id, spec, skip_left, times_left, hits, created_at FROM faults WHERE org_id = ? ORDER BY seq')
  const skipped = db.prepare('UPDATE faults SET skip_left = skip_left - 1 WHERE org_id = ? AND id = ?')
  const applied = db.prepare('UPDATE faults SET hits = hits + 1, times_left = times_left - 1 WHERE org_id = ? AND id = ?')
  const remove = db.prepare('DELETE FROM faults WHERE org_id = ? AND id = ?')
  const clear = db.prepare('DELETE FROM faults WHERE org_id = ?')
  return {
    insert (orgId: string, f: Fault) {
      insert.run(f.id, orgId, JSON.stringify(f.spec), f.skip_left, f.times_left, f.created_at)
      return f
    },
    list: (orgId: string) => all.all(orgId).map(fromRow),
    /** Counts one matching request the fault let through (it was still skipping). */
    skipped: (orgId: string, id: string) => { skipped.run(orgId, id) },
    /** Counts one application (times_left stays NULL for a fault without a limit). */
    applied: (orgId: string, id: string) => { applied.run(orgId, id) },
    remove: (orgId: string, id: string) => remove.run(orgId, id).changes > 0,
    clear: (orgId: string) => clear.run(orgId).changes,
  }
}
