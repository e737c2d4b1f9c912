// Opens the SQLite database, makes sure it is dyte-mock's and that no other process uses it,
// sets the pragmas and brings the schema up to date.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { latestVersion, migrations } from './migrations/index.js'

/** An interface rather than an alias, so the declaration files a package carries can name it. */
export interface Db extends Database.Database {}

/**
 * dyte-mock's mark in its database files: SQLite's application_id (the 32-bit number at offset 68
 * of the header, shown by `file` and `sqlite3 … .dbinfo`), "DyMk" in ASCII.
 */
export const APPLICATION_ID = 0x44794d6b

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
  // No busy wait: a file that another connection holds is refused at once (see claim).
  const db = new Database(path, { timeout: 0 })
  try {
    const marked = claim(db)
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a committed write survives a crash of this process (kill -9);
    // only a power loss can drop the last transactions.
    db.pragma('synchronous = NORMAL')
    // No foreign keys are declared, so foreign_keys stays off: an org's rows are found by their
    // org_id column (see orgTables in index.ts), and some rows outlive what they point at on purpose
    // (a deleted participant's session records, a deleted webhook's delivery log).
    // No busy_timeout either: with the exclusive lock no other connection can make this one wait.
    // 8 MiB of page cache, used as the data grows; beyond it SQLite reads through the operating
    // system's file cache. 32 MiB made no difference to any list or read and kept the server 25 MiB
    // larger after a long mixed load.
    db.pragma('cache_size = -8000')
    // Checkpoints run from a timer (see startCheckpoints), not inside whichever commit fills the WAL.
    db.pragma('wal_autocheckpoint = 0')
    if (!marked) db.pragma(`application_id = ${APPLICATION_ID}`)
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

/**
 * Takes the database file for this connection alone, then checks, before anything is written,
 * that it is empty or dyte-mock's. Returns whether it already carries dyte-mock's mark.
 *
 * The lock is SQLite's own: in EXCLUSIVE locking mode the lock taken here is held until the
 * connection closes, so a second server on the file (in this process or another) is refused at
 * once, and the kernel drops the lock with the process, even after a kill -9. Set before the
 * first read, it also keeps the WAL index in this process's memory (no -shm file).
 */
function claim (db: Db) {
  db.pragma('locking_mode = EXCLUSIVE')
  try {
    db.exec('BEGIN EXCLUSIVE')
    try {
      return isMarked(db)
    } finally {
      // Ends the transaction, which wrote nothing; the lock stays (EXCLUSIVE locking mode).
      db.exec('COMMIT')
    }
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'SQLITE_BUSY') throw new Error('database file is in use by another dyte-mock or program: one database file serves one dyte-mock at a time')
    if (code === 'SQLITE_NOTADB') throw notOurs('not a SQLite database')
    throw err
  }
}

/** Whether the database has dyte-mock's mark (false: it is empty or an earlier dyte-mock's); throws for any other. Only reads. */
function isMarked (db: Db) {
  const applicationId = db.pragma('application_id', { simple: true }) as number
  if (applicationId === APPLICATION_ID) {
    schemaVersion(db)
    return true
  }
  if (applicationId !== 0) throw notOurs(`application_id 0x${(applicationId >>> 0).toString(16)}`)
  // Unmarked: empty (a new file), or made by a dyte-mock from before the mark (its tables and
  // their columns are exactly those its schema version's migrations create), or another program's.
  const version = db.pragma('user_version', { simple: true }) as number
  if (version === 0 && db.prepare('SELECT 1 FROM sqlite_schema').get() === undefined) return false
  if (version >= 1 && version <= latestVersion && madeByMigrations(db, version)) return false
  const names = tableNames(db)
  throw notOurs(names.length ? `tables: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}` : `user_version ${version}, no tables`)
}

const notOurs = (why: string) => new Error(`database file is not dyte-mock's (${why}) and was left unchanged: use another file`)

/** The names of the database's tables, SQLite's own left out. */
const tableNames = (db: Db) => db.prepare<[], { name: string }>(`SELECT name FROM sqlite_schema
  WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all().map((r) => r.name)

/** Every column of every table, in order, as `table.column` lines. */
const columns = (db: Db) => tableNames(db).flatMap((table) =>
  db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table).map((c) => `${table}.${c.name}`)).join('\n')

/** Whether the database's tables and their columns are exactly those dyte-mock's migrations 1..version create. */
function madeByMigrations (db: Db, version: number) {
  const scratch = new Database(':memory:')
  try {
    migrate(scratch, version)
    return tableNames(db).join() === tableNames(scratch).join() && columns(db) === columns(scratch)
  } finally {
    scratch.close()
  }
}

/**
 * Copies the WAL into the database file every `everyMs` when there is something to copy. A
 * committed write is durable in the WAL already; this only keeps the WAL small, off the request
 * path. A checkpoint that fails (a full disk) is tried again on the next tick; the first failure
 * of a run is reported to onError. Returns the function that stops it.
 */
export function startCheckpoints (db: Pick<Db, 'open' | 'pragma' | 'inTransaction'>, onError: (err: unknown) => void, everyMs = 1000) {
  let failing = false
  const timer = setInterval(() => {
    try {
      // Not while the group commit's transaction is open (a checkpoint inside one copies nothing).
      if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)')
      failing = false
    } catch (err) {
      if (!failing) onError(err)
      failing = true
    }
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
