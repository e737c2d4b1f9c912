import type { Db } from './db.js'

export type CoverageKind = 'operation' | 'webhook' | 'state'
export interface CoverageRow { org_id: string, kind: CoverageKind, key: string, count: number }

/** Counts of what each org's suite reached (see migration 5); added to in batches. */
export function createCoverageRepo (db: Db) {
  const add = db.prepare(`INSERT INTO coverage (org_id, kind, key, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (org_id, kind, key) DO UPDATE SET count = count + excluded.count`)
  const ofOrg = db.prepare<[string], CoverageRow>('SELECT org_id, kind, key, count FROM coverage WHERE org_id = ?')
  const all = db.prepare<[], CoverageRow>('SELECT org_id, kind, key, count FROM coverage')
  const clear = db.prepare('DELETE FROM coverage WHERE org_id = ?')
  return {
    /** Adds the counts in one transaction. */
    add (rows: CoverageRow[]) {
      db.transaction(() => { for (const r of rows) add.run(r.org_id, r.kind, r.key, r.count) })()
    },
    list: (orgId?: string) => (orgId === undefined ? all.all() : ofOrg.all(orgId)),
    clear: (orgId: string) => { clear.run(orgId) },
  }
}
