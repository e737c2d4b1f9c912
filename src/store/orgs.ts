import type { Db } from './db.js'

/** Org namespaces, created on first use. Known ids are cached so a request costs no write. */
export function createOrgsRepo (db: Db) {
  const known = new Set<string>()
  const insert = db.prepare('INSERT OR IGNORE INTO orgs (id, created_at) VALUES (?, ?)')
  return {
    ensure (orgId: string, now: string) {
      if (known.has(orgId)) return
      insert.run(orgId, now)
      known.add(orgId)
    },
  }
}
