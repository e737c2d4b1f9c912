import type { Db } from './db.js'
import { forgetOrg, like, pagedList, statementCache, type Filter, type Page } from './query.js'

/** A preset: its id, name and timestamps, plus the rest of its body (config, permissions, ui) as given. */
export interface Preset { id: string, name: string, created_at: string, updated_at: string, [field: string]: unknown }

interface Row { id: string, name: string, doc: string, created_at: string, updated_at: string }
const toPreset = (r: Row): Preset => ({ ...JSON.parse(r.doc), id: r.id, name: r.name, created_at: r.created_at, updated_at: r.updated_at })
const docOf = ({ id: _i, name: _n, created_at: _c, updated_at: _u, ...rest }: Preset) => JSON.stringify(rest)

/**
 * Built-in presets are made with the org, on its first request, before a test had a chance to
 * set the org's clock. They are stored unstamped (empty timestamps) and stamped with the org's
 * clock the first time any preset of the org is read, so a frozen clock gives the same bodies.
 */
export const UNSTAMPED = ''

export function createPresetsRepo (db: Db) {
  const prepare = statementCache(db)
  const stampStmt = db.prepare('UPDATE presets SET created_at = ?, updated_at = ? WHERE org_id = ? AND created_at = ?')
  const stamped = new Set<string>()
  let clock: ((orgId: string) => string) | undefined
  const stamp = (orgId: string) => {
    if (stamped.has(orgId)) return
    if (!clock) throw new Error('presets: no org clock to stamp the built-in presets with (stampWith was not called)')
    const at = clock(orgId)
    stampStmt.run(at, at, orgId, UNSTAMPED)
    stamped.add(orgId)
  }
  const byId = db.prepare<[string, string], Row>('SELECT * FROM presets WHERE org_id = ? AND id = ?')
  const byName = db.prepare<[string, string], Row>('SELECT * FROM presets WHERE org_id = ? AND name = ?')
  const insert = db.prepare('INSERT INTO presets (id, org_id, name, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
  const update = db.prepare('UPDATE presets SET name = ?, doc = ?, updated_at = ? WHERE org_id = ? AND id = ?')
  const remove = db.prepare('DELETE FROM presets WHERE org_id = ? AND id = ?')
  return {
    /** The org's time, for stamping built-in presets (the store never reads the wall clock). */
    stampWith (now: (orgId: string) => string) { clock = now },
    /** The org was reset (no org: a transaction was rolled back): its next built-in presets are stamped again. */
    forget: (orgId?: string) => forgetOrg(stamped, orgId),
    get (orgId: string, id: string) {
      stamp(orgId)
      const r = byId.get(orgId, id)
      return r && toPreset(r)
    },
    byName (orgId: string, name: string) {
      stamp(orgId)
      const r = byName.get(orgId, name)
      return r && toPreset(r)
    },
    insert (orgId: string, p: Preset) {
      insert.run(p.id, orgId, p.name, docOf(p), p.created_at, p.updated_at)
      return p
    },
    update (orgId: string, p: Preset) {
      update.run(p.name, docOf(p), p.updated_at, orgId, p.id)
      return p
    },
    remove: (orgId: string, id: string) => { remove.run(orgId, id) },
    list (orgId: string, search: string | undefined, page: Page) {
      stamp(orgId)
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (search) filters.push(["name LIKE ? ESCAPE '\\'", like(search)])
      const { rows, paging } = pagedList<Row>(prepare, 'presets', filters, 'seq ASC', page)
      return { data: rows.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at, updated_at: r.updated_at })), paging }
    },
  }
}
