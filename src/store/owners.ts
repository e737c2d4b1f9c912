// Which org owns an id, whatever kind of row it names: one indexed look-up per org table with an
// id column (ids are unique across orgs), for the hint on a 404 (plugins/hints.ts).
import type { Db } from './db.js'
import type { Namespaces } from './namespaces.js'

export interface Owner { /** The row's kind, from its table: `meeting`, `session participant`. */ kind: string, org_id: string }

/** The table's rows, named in the singular: `session_participants` → `session participant`. */
const kindOf = (table: string) => table.replace(/s$/, '').replaceAll('_', ' ')

export function createOwnersRepo (db: Db, orgTables: string[], ns: Pick<Namespaces, 'isDead' | 'orgOf'>) {
  const withIds = orgTables.filter((t) =>
    db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = 'id'").get(t)!.n === 1)
  const byId = db.prepare<string[], Owner>(withIds.map((t) => `SELECT '${kindOf(t)}' AS kind, org_id FROM ${t} WHERE id = ?`).join(' UNION ALL '))
  return {
    /** Every row with this id, in any org (not those a reset hid). */
    of: (id: string): Owner[] => byId.all(...withIds.map(() => id))
      .filter((o) => !ns.isDead(o.org_id)).map((o) => ({ ...o, org_id: ns.orgOf(o.org_id) })),
  }
}
