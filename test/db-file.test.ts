// The database file: dyte-mock uses only a new or empty file or one of its own (marked with SQLite's
// application_id, or made by an earlier dyte-mock), and refuses any other file before changing it,
// with one line; the refused file is byte for byte as it was, with nothing left beside it.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { APPLICATION_ID, migrate, openDb } from '../src/store/db.js'
import { latestVersion } from '../src/store/migrations/index.js'
import { createServer } from '../src/server.js'
import { tmpDb } from './helpers.js'

const refused = (why: string) => `database file is not dyte-mock's (${why}) and was left unchanged: use another file`

/** Runs the server on `dbPath` until it exits (here: until it refuses the file). */
const run = (dbPath: string) => spawnSync(process.execPath, ['dist/src/main.js', '--port', '0', '--db', dbPath], { encoding: 'utf8', timeout: 30_000 })

/** A SQLite file written by `write` (another program's database). */
function sqliteFile (t: Test, write: (db: Database.Database) => void) {
  const path = tmpDb(t)
  const db = new Database(path)
  write(db)
  db.close()
  return path
}

const notes = (db: Database.Database) => db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')")

// `cli`: also run the server on it (a process start is slow; the message is the same for every case).
const foreign: { name: string, make: (t: Test) => string, why: string, cli?: boolean }[] = [
  { name: 'a SQLite file with user_version 0 and tables of its own', why: 'tables: notes', make: (t) => sqliteFile(t, notes), cli: true },
  {
    name: 'a SQLite file with user_version 3 and tables of its own',
    why: 'tables: notes, users',
    cli: true,
    make: (t) => sqliteFile(t, (db) => { notes(db); db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)'); db.pragma('user_version = 3') }),
  },
  {
    name: 'a SQLite file in WAL mode',
    why: 'tables: notes',
    make: (t) => sqliteFile(t, (db) => { db.pragma('journal_mode = WAL'); notes(db) }),
  },
  {
    name: 'a SQLite file marked by another application',
    why: 'application_id 0x12345678',
    make: (t) => sqliteFile(t, (db) => { db.pragma('application_id = 305419896') }),
  },
  {
    name: 'a database of an earlier dyte-mock with a table added by someone else',
    why: 'tables: apps, deliveries, delivery_attempts, events, extra, …',
    make: (t) => sqliteFile(t, (db) => { migrate(db, 2); db.exec('CREATE TABLE extra (x)') }),
  },
  { name: 'a file of random bytes', why: 'not a SQLite database', make: (t) => { const p = tmpDb(t); writeFileSync(p, randomBytes(8192)); return p }, cli: true },
  { name: 'a text file', why: 'not a SQLite database', make: (t) => { const p = tmpDb(t); writeFileSync(p, 'meeting notes\nnot a database\n'); return p } },
]

for (const { name, make, why, cli } of foreign) {
  t.test(`database file: ${name} is refused before anything is written, in one line`, async (t) => {
    const path = make(t)
    const bytes = readFileSync(path)
    const files = readdirSync(dirname(path))
    t.same(files, ['db.sqlite'], 'the file alone in its folder')

    t.throws(() => openDb(path), { message: refused(why) })
    t.same(readFileSync(path), bytes, 'byte for byte as it was')
    t.same(readdirSync(dirname(path)), files, 'no -wal, -shm or -journal beside it')

    if (!cli) return
    const server = run(path)
    t.equal(server.status, 1, 'the server exits with status 1')
    t.equal(server.stderr, `dyte-mock: ${refused(why)} (--db ${path})\n`, 'one line on stderr')
    t.equal(server.stdout, '')
    t.same(readFileSync(path), bytes, 'still byte for byte as it was')
    t.same(readdirSync(dirname(path)), files, 'still nothing beside it')
  })
}

t.test('database file: createServer throws the same one-line Error for a foreign file', async (t) => {
  const path = sqliteFile(t, notes)
  await t.rejects(createServer({ dbPath: path, logLevel: 'silent' }), { message: refused('tables: notes') })
})

/** The application_id in a database file's header (offset 68, big-endian), as `file` shows it. */
const mark = (path: string) => readFileSync(path).readUInt32BE(68)

t.test('database file: a new path and an empty file are dyte-mock\'s, and get its mark', async (t) => {
  const fresh = tmpDb(t)
  const empty = tmpDb(t)
  writeFileSync(empty, '')
  for (const path of [fresh, empty]) {
    openDb(path).close()
    t.equal(mark(path), APPLICATION_ID, 'application_id in the header')
    t.equal(readFileSync(path).subarray(68, 72).toString('latin1'), 'DyMk')
    const db = openDb(path) // and it opens again as dyte-mock's
    t.equal(db.pragma('user_version', { simple: true }), latestVersion)
    db.close()
  }
})

for (let version = 1; version <= latestVersion; version++) {
  t.test(`database file: a database of an earlier dyte-mock (schema version ${version}, no mark) is recognised and marked`, async (t) => {
    const path = sqliteFile(t, (db) => {
      migrate(db, version)
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('url_signing_secret', 'kept')
    })
    t.equal(mark(path), 0, 'no mark before')
    const db = openDb(path)
    t.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID, 'marked')
    t.equal(db.pragma('user_version', { simple: true }), latestVersion, 'and migrated')
    t.same(db.prepare('SELECT value FROM meta WHERE key = ?').get('url_signing_secret'), { value: 'kept' }, 'its data kept')
    db.close()
    t.equal(mark(path), APPLICATION_ID, 'the mark is in the file')
  })
}

t.test('database file: an unmarked SQLite file with a schema version but no tables is refused', async (t) => {
  const path = sqliteFile(t, (db) => { db.pragma('user_version = 2') })
  const bytes = readFileSync(path)
  t.throws(() => openDb(path), { message: refused('user_version 2, no tables') })
  t.same(readFileSync(path), bytes)
})
