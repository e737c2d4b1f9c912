import type { Statement } from 'better-sqlite3'
import type { Db } from './db.js'
import { paging, type Page } from './query.js'
import { hiddenTables, type Namespaces } from './namespaces.js'

/** One table's rows of an org: the column names once, then each row's values in that order. */
export interface TableRows { columns: string[], rows: unknown[][] }

export interface SnapshotInfo { name: string, org_id: string, created_at: string, rows: number }

interface Column { name: string, type: string, pk: number }

/** Saved rows with each row's text by its key, to tell which rows a restore need not touch. */
export interface Loadable extends TableRows { texts: Map<unknown, string> }

/**
 * Snapshots (the saved documents) and the two moves they need: reading every row an org has in
 * the org tables, and writing such rows back. Columns are read from the schema, so a column a
 * later migration adds is saved and restored without a change here.
 */
export function createSnapshotsRepo (db: Db, orgTables: string[], ns: Pick<Namespaces, 'key' | 'hiddenKeysOf'>) {
  const tables = new Map(orgTables.map((name) => {
    const columns = db.prepare<[string], Column>('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(name)
    // The integer key (seq, or a timer's id) only orders rows: see insertRows.
    const key = columns.find((c) => c.pk === 1 && c.type === 'INTEGER' && columns.filter((o) => o.pk > 0).length === 1)?.name
    const names = columns.map((c) => c.name)
    // In the tables a reset hides, the org's rows carry its key (namespaces.ts); snapshots hold its id.
    const keyed = hiddenTables.includes(name)
    const orgAt = names.indexOf('org_id')
    const select = db.prepare(`SELECT ${names.join(', ')} FROM ${name} WHERE org_id = ? ORDER BY rowid`).raw(true)
    const clear = db.prepare(`DELETE FROM ${name} WHERE org_id = ?`)
    const removeKey = key === undefined ? undefined : db.prepare(`DELETE FROM ${name} WHERE ${key} = ?`)
    const idAt = names.indexOf('id')
    const removeHidden = keyed && idAt >= 0 ? db.prepare(`DELETE FROM ${name} WHERE id = ? AND org_id = ?`) : undefined
    return [name, { columns: names, key, select, clear, removeKey, keyed, orgAt, idAt, removeHidden }] as const
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
   * Makes the org's rows of `table` those of `t`, writing only what differs: a row the org has
   * with the same key and the same values stays; the others are deleted and the saved ones that
   * are missing inserted, in saved order and with their saved keys (restoring before every test
   * rewrites only what the test changed). When another org took one of those keys meanwhile (keys
   * are shared by all orgs), the org's rows of the table are all written again with new keys in
   * the same order: keys only order rows, and no answer shows them.
   */
  function restoreTable (orgId: string, table: string, t: Loadable) {
    const meta = tables.get(table)!
    const k = keyOf(orgId, table)
    // Saved rows hold the org id; written under the org's key.
    const savedOrgAt = t.columns.indexOf('org_id')
    const rows = k === orgId ? t.rows : t.rows.map((row) => row.map((v, i) => (i === savedOrgAt ? k : v)))
    // Rows a reset hid and not yet deleted may hold the saved ids: those rows go first.
    const hidden = meta.removeHidden ? ns.hiddenKeysOf(orgId) : []
    const savedIdAt = t.columns.indexOf('id')
    const unhide = (row: unknown[]) => { for (const h of hidden) meta.removeHidden!.run(row[savedIdAt], h) }
    const same = meta.key !== undefined && t.columns.length === meta.columns.length && t.columns.every((c, i) => c === meta.columns[i])
    if (!same) {
      meta.clear.run(k)
      const insert = insertOf(table, t.columns)
      for (const row of rows) {
        unhide(row)
        insert.run(row)
      }
      return
    }
    const keyAt = meta.columns.indexOf(meta.key!)
    const kept = new Set<unknown>()
    for (const row of meta.select.all(k) as unknown[][]) {
      const key = row[keyAt]
      if (k !== orgId) row[meta.orgAt] = orgId
      if (t.texts.get(key) === JSON.stringify(row)) kept.add(key)
      else meta.removeKey!.run(key)
    }
    if (kept.size === rows.length) return
    const insert = insertOf(table, t.columns)
    try {
      db.transaction(() => {
        for (const row of rows) {
          if (kept.has(row[keyAt])) continue
          unhide(row)
          insert.run(row)
        }
      })()
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err
      meta.clear.run(k)
      const fresh = insertOf(table, t.columns.filter((_, i) => i !== keyAt))
      for (const row of rows) fresh.run(row.filter((_, i) => i !== keyAt))
    }
  }

  /** What the org's rows of the table carry in org_id: its key in a table a reset hides, else its id. */
  const keyOf = (orgId: string, table: string) => (tables.get(table)!.keyed ? ns.key(orgId) : orgId)

  return {
    /** Each org table's columns, as a snapshot of this schema has them. */
    columns: (table: string) => tables.get(table)?.columns,
    /** Every row the org has in every org table. */
    dump (orgId: string): Record<string, TableRows> {
      const out: Record<string, TableRows> = {}
      for (const [name, t] of tables) {
        const k = keyOf(orgId, name)
        const rows = t.select.all(k) as unknown[][]
        if (k !== orgId) for (const row of rows) row[t.orgAt] = orgId
        out[name] = { columns: t.columns, rows }
      }
      return out
    },
    /** Saved rows made ready to restore (done once per snapshot: restores reuse it). */
    loadable (saved: Record<string, TableRows>): Record<string, Loadable> {
      return Object.fromEntries(Object.entries(saved).map(([name, t]) => {
        const keyAt = t.columns.indexOf(tables.get(name)?.key ?? '')
        return [name, { ...t, texts: new Map(keyAt < 0 ? [] : t.rows.map((row) => [row[keyAt], JSON.stringify(row)])) }]
      }))
    },
    /** Makes the org's rows in every org table those saved (the caller's transaction); a table the snapshot lacks is emptied. */
    restore (orgId: string, saved: Record<string, Loadable>) {
      for (const [name, meta] of tables) {
        if (saved[name]) restoreTable(orgId, name, saved[name])
        else meta.clear.run(keyOf(orgId, name))
      }
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
