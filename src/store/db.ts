// Opens the SQLite database, sets the pragmas and brings the schema up to date.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { latestVersion, migrations } from './migrations/index.js'

export type Db = Database.Database

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
  try {
    // Checked before any pragma below writes to the file.
    schemaVersion(db)
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a committed write survives a crash of this process (kill -9);
    // only a power loss can drop the last transactions.
    db.pragma('synchronous = NORMAL')
    // No foreign keys are declared, so foreign_keys stays off: an org's rows are found by their
    // org_id column (see orgTables in index.ts), and some rows outlive what they point at on purpose
    // (a deleted participant's session records, a deleted webhook's delivery log).
    db.pragma('busy_timeout = 5000')
    db.pragma('cache_size = -32000') // 32 MB of page cache, used as the data grows
    // Checkpoints run from a timer (see startCheckpoints), not inside whichever commit fills the WAL.
    db.pragma('wal_autocheckpoint = 0')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
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

/** The database's schema version; refuses a database made by a newer dyte-mock. */
function schemaVersion (db: Db) {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > latestVersion) {
    throw new Error(`database schema version ${version} is newer than this dyte-mock (${latestVersion}): use a newer dyte-mock or another database file`)
  }
  return version
}

/** Runs the migrations the database has not run yet, up to `target`, each in its own transaction. */
export function migrate (db: Db, target = latestVersion) {
  for (const m of migrations.slice(schemaVersion(db), target)) {
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
