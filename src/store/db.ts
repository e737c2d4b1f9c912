// Opens the SQLite database, sets the pragmas and brings the schema up to date.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrations } from './migrations.js'

/** An interface rather than an alias, so the declaration files a package carries can name it. */
export interface Db extends Database.Database {}

/**
 * Creates the database's folder and its missing parents, one level at a time (a recursive mkdir
 * can spin forever where a parent refuses new entries, as in /proc).
 */
function makeDirs (dir: string) {
  if (existsSync(dir)) return
  const parent = dirname(dir)
  if (parent !== dir) makeDirs(parent)
  mkdirSync(dir)
}

export function openDb (path: string): Db {
  if (path !== ':memory:') makeDirs(dirname(path))
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  // NORMAL in WAL mode: a committed write survives a crash of this process (kill -9);
  // only a power loss can drop the last transactions.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('cache_size = -32000') // 32 MB of page cache, used as the data grows
  // Checkpoints run from a timer (see startCheckpoints), not inside whichever commit fills the WAL.
  db.pragma('wal_autocheckpoint = 0')
  migrate(db)
  return db
}

/**
 * Copies the WAL into the database file every `everyMs` when there is something to copy. A
 * committed write is durable in the WAL already; this only keeps the WAL small, off the request
 * path. Returns the function that stops it.
 */
export function startCheckpoints (db: Db, everyMs = 1000) {
  const timer = setInterval(() => {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)')
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

export function migrate (db: Db, target = migrations.length) {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this dyte-mock (${migrations.length})`)
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      db.exec(migrations[v])
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
