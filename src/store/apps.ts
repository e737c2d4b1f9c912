import type { Db } from './db.js'
import { like, pagedList, statementCache, type Filter, type Page } from './query.js'

export interface App { id: string, name: string | null, created_at: string }

export interface AppFilters {
  search?: string, sort_order?: 'ASC' | 'DESC'
  /** Only the apps this key created. */
  created_by?: string
}

export function createAppsRepo (db: Db) {
  const prepare = statementCache(db)
  const insert = db.prepare('INSERT INTO apps (id, account_id, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
  const byId = db.prepare<[string, string], App>('SELECT id, name, created_at FROM apps WHERE account_id = ? AND id = ?')
  const isApp = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM apps WHERE id = ?')
  const creatorOf = db.prepare<[string], { created_by: string | null }>('SELECT created_by FROM apps WHERE id = ?')
  // An app's creator never changes: looked up once per app (auth asks on every request).
  const creators = new Map<string, string>()
  const nameOf = db.prepare<[string], { name: string | null }>('SELECT name FROM apps WHERE id = ?')
  return {
    /** A transaction was rolled back: creators are read again. */
    forget: () => { creators.clear() },
    /** Stores an app of the account, made with the key `createdBy` (the caller's token). */
    insert (accountId: string, a: App, createdBy: string | null) {
      insert.run(a.id, accountId, a.name, a.created_at, createdBy)
      return a
    },
    get: (accountId: string, id: string) => byId.get(accountId, id),
    /** The key that created the app, if it was created through POST …/apps with one. */
    creator (appId: string): string | undefined {
      let key = creators.get(appId)
      if (key === undefined) {
        key = creatorOf.get(appId)?.created_by ?? undefined
        if (key !== undefined) creators.set(appId, key)
      }
      return key
    },
    /** Whether the org was created as a RealtimeKit app (its webhooks then carry the rtk-* headers). */
    isApp: (orgId: string) => isApp.get(orgId)!.n > 0,
    /** The app's name (null when it has none, or the org is not an app). */
    name: (orgId: string) => nameOf.get(orgId)?.name ?? null,
    list (accountId: string, f: AppFilters, page: Page) {
      const filters: Filter[] = [['account_id = ?', accountId]]
      if (f.created_by !== undefined) filters.push(['created_by = ?', f.created_by])
      if (f.search) filters.push(["name LIKE ? ESCAPE '\\'", like(f.search)])
      const dir = f.sort_order === 'DESC' ? 'DESC' : 'ASC'
      const { rows, paging } = pagedList<App & { seq: number, account_id: string }>(prepare, 'apps', filters, `seq ${dir}`, page)
      return { data: rows.map(({ id, name, created_at }) => ({ id, name, created_at })), paging }
    },
  }
}
