import type { Statement } from 'better-sqlite3'
import type { Db } from './db.js'
import { paging, type Page } from './query.js'

/** One table's rows of an org: the column names once, then each row's values in that order. */
export interface TableRows { columns: string[], rows: unknown[][] }

export interface SnapshotInfo { name: string, org_id: string, created_at: string, rows: number }

interface Column { name: string, type: string, pk: number }

/**
 * Snapshots (the saved documents) and the two moves they need: reading every row an org has in
 * the org tables, and writing such rows back. Columns are read from the schema, so a column a
 * later migration adds is saved and restored without a change here.
 */
export function createSnapshotsRepo (db: Db, orgTables: string[]) {
  const tables = new Map(orgTables.map((name) => {
    const columns = db.prepare<[string], Column>('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(name)
    // The integer key (seq, or a timer's id) only orders rows: see insertRows.
    const key = columns.find((c) => c.pk === 1 && c.type === 'INTEGER' && columns.filter((o) => o.pk > 0).length === 1)?.name
    const names = columns.map((c) => c.name)
    const select = db.prepare(`SELECT ${names.join(', ')} FROM ${name} WHERE org_id = ? ORDER BY rowid`).raw(true)
    return [name, { columns: names, key, select }] as const
  }))
  const inserts = new Map<string, Statement>()
  const insertOf = (table: string, columns: string[]) => {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    let s = inserts.get(sql)
    if (!s) inserts.set(sql, s = db.prepare(sql))
    return s
  }

  const put = db.prepare(`INSERT INTO snapshots (org_id, name, created_at, rows, doc) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (org_id, name) DO UPDATE SET created_at = excluded.created_at, rows = excluded.rows, doc = excluded.doc`)
  const get = db.prepare<[string, string], { doc: string }>('SELECT doc FROM snapshots WHERE org_id = ? AND name = ?')
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM snapshots WHERE org_id = ?')
  const page = db.prepare<[string, number, number], SnapshotInfo>('SELECT name, org_id, created_at, rows FROM snapshots WHERE org_id = ? ORDER BY name LIMIT ? OFFSET ?')
  const remove = db.prepare('DELETE FROM snapshots WHERE org_id = ? AND name = ?')

  /**
   * Inserts rows in their saved order. Rows keep their integer keys when those are free; when
   * another org took one meanwhile (keys are shared by all orgs), the table's rows get new keys
   * in the same order instead: keys only order rows, and no answer shows them.
   */
  function insertRows (table: string, t: TableRows, key: string | undefined) {
    try {
      db.transaction(() => {
        const insert = insertOf(table, t.columns)
        for (const row of t.rows) insert.run(row)
      })()
    } catch (err) {
      const at = key === undefined ? -1 : t.columns.indexOf(key)
      if (at < 0 || (err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err
      const insert = insertOf(table, t.columns.filter((_, i) => i !== at))
      for (const row of t.rows) insert.run(row.filter((_, i) => i !== at))
    }
  }

  return {
    /** Each org table's columns, as a snapshot of this schema has them. */
    columns: (table: string) => tables.get(table)?.columns,
    /** Every row the org has in every org table. */
    dump (orgId: string): Record<string, TableRows> {
      const out: Record<string, TableRows> = {}
      for (const [name, t] of tables) out[name] = { columns: t.columns, rows: t.select.all(orgId) as unknown[][] }
      return out
    },
    /** Writes rows dumped earlier (the org's rows must be gone: see resetOrg). */
    load (saved: Record<string, TableRows>) {
      for (const [name, t] of Object.entries(saved)) insertRows(name, t, tables.get(name)?.key)
    },
    put (orgId: string, info: SnapshotInfo, doc: string) { put.run(orgId, info.name, info.created_at, info.rows, doc) },
    doc: (orgId: string, name: string) => get.get(orgId, name)?.doc,
    list (orgId: string, p: Page) {
      const data = page.all(orgId, p.per_page, (p.page_no - 1) * p.per_page)
      return { data, paging: paging(count.get(orgId)!.n, p, data.length) }
    },
    remove: (orgId: string, name: string) => remove.run(orgId, name).changes > 0,
  }
}
