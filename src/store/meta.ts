import type { Db } from './db.js'

/** Instance-wide key/value settings (signing keys). */
export function createMetaRepo (db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
  const put = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
  return {
    get: (key: string) => get.get(key)?.value,
    /** Stores the value unless the key exists; returns the stored value (first writer wins). */
    putIfAbsent (key: string, value: string): string {
      put.run(key, value)
      return get.get(key)!.value
    },
  }
}
