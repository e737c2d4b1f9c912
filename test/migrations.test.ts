// Migrations: a database written by any older dyte-mock migrates to the latest schema with its
// data intact and readable, and a database written by a newer one is refused before it is changed.
// After Signal-Desktop's migration tests: build the old schema, insert, migrate, assert.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { APPLICATION_ID, migrate, openDb, type Db } from '../src/store/db.js'
import { latestVersion, migrations } from '../src/store/migrations/index.js'
import { countedTables } from '../src/store/migrations/007-counts-namespaces.js'
import { createStore } from '../src/store/index.js'
import { tmpDb } from './helpers.js'

const T = '2030-01-01T00:00:00.000Z'
const org = 'org-a'

/** One row for every table of the latest schema, as dyte-mock writes them (every column given). */
const rows: Record<string, Record<string, unknown>> = {
  meta: { key: 'url_signing_secret', value: 's3cret' },
  orgs: { id: org, created_at: T, frozen_at_ms: 1_893_456_000_000, offset_ms: 0, settings: '{"recording_start_delay_s":1}', id_seq: 7, realtimekit: 1 },
  timers: { id: 1, org_id: org, due_at_ms: 1_893_456_002_000, kind: 'recording.started', ref_id: 'r1' },
  events: { seq: 1, id: 'e1', org_id: org, type: 'meeting.started', meeting_id: 'm1', session_id: 's1', at: T, payload: '{"event":"meeting.started"}' },
  deliveries: {
    seq: 1, id: 'd1', org_id: org, webhook_id: 'w1', event_id: 'e1', event_type: 'meeting.started', meeting_id: 'm1',
    url: 'http://127.0.0.1:9/hooks', body: '{"event":"meeting.started"}', signature: 'c2ln', status: 'pending', attempts: 1,
    next_attempt_at_ms: 1_893_456_005_000, created_at: T, updated_at: T,
  },
  delivery_attempts: { seq: 1, org_id: org, delivery_id: 'd1', n: 1, at: T, status_code: 500, latency_ms: 3, error: null, response_excerpt: 'no' },
  inbox: { seq: 1, org_id: org, name: 'hook', received_at: T, headers: '{"dyte-uuid":"d1"}', body: '{"event":"meeting.started"}' },
  meetings: {
    seq: 1, id: 'm1', org_id: org, title: 'Standup', preferred_region: 'ap-south-1', record_on_start: 0, live_stream_on_start: 0,
    persist_chat: 1, summarize_on_end: 0, transcribe_on_end: 0, session_keep_alive_time_in_secs: 60, status: 'ACTIVE',
    recording_config: '{"max_seconds":60}', ai_config: null, created_at: T, updated_at: T,
  },
  participants: {
    seq: 1, id: 'p1', org_id: org, meeting_id: 'm1', name: 'Jane', picture: null, preset_name: 'group_call_host',
    custom_participant_id: 'jane', created_at: T, updated_at: T,
  },
  sessions: {
    seq: 1, id: 's1', org_id: org, meeting_id: 'm1', meeting_display_name: 'Standup', type: 'meeting', status: 'LIVE',
    live_participants: 1, max_concurrent_participants: 1, minutes_consumed: 1.5, started_at: T, ended_at: null,
    created_at: T, updated_at: T, meta: null,
  },
  session_participants: {
    seq: 1, id: 'sp1', org_id: org, session_id: 's1', participant_id: 'p1', display_name: 'Jane', picture: null,
    preset_name: 'group_call_host', custom_participant_id: 'jane', joined_at: T, left_at: null, duration: 0, created_at: T, updated_at: T,
  },
  recordings: {
    seq: 1, id: 'r1', org_id: org, meeting_id: 'm1', session_id: 's1', status: 'INVOKED', output_file_name: 'r1.mp4',
    download_url: null, download_url_expiry: null, audio_download_url: null, file_size: null, invoked_time: T,
    started_time: null, stopped_time: null, recording_duration: 0, storage_config: null, config: '{}',
    start_reason: '{"reason":"API_CALL"}', stop_reason: null, created_at: T, updated_at: T,
  },
  livestreams: {
    seq: 1, id: 'l1', org_id: org, meeting_id: 'm1', name: 'Standup live', status: 'IDLE', ingest_server: 'rtmps://ingest.example',
    stream_key: 'key', playback_url: 'https://play.example/l1.m3u8', disabled: 0, created_at: T, updated_at: T,
  },
  apps: { seq: 1, id: 'app-1', account_id: 'acc', name: 'My app', created_at: T, created_by: 'creator-key' },
  presets: { seq: 1, id: 'pr1', org_id: org, name: 'host', doc: '{"config":{}}', created_at: T, updated_at: T },
  livestream_sessions: {
    seq: 1, id: 'ls1', org_id: org, livestream_id: 'l1', meeting_session_id: 's1', err_message: null, invoked_time: T,
    started_time: null, stopped_time: null, ingest_seconds: 0, viewer_seconds: 0, created_at: T, updated_at: T,
  },
  org_records: {
    seq: 1, id: 'org-b', token: 'cli-token', name: 'Acme', doc: '{"contact":"a@example.com"}', apikey: 'key-b', created_at: T, updated_at: T,
  },
  webhooks: {
    seq: 1, id: 'w1', org_id: org, name: 'all', url: 'http://127.0.0.1:9/hooks', events: '["meeting.started"]', enabled: 1,
    created_at: T, updated_at: T,
  },
  faults: {
    seq: 1, id: 'f1', org_id: org, spec: '{"path":"/v2/meetings","status":503,"skip":0}', skip_left: 0, times_left: 2, hits: 0, created_at: T,
  },
  snapshots: { seq: 1, org_id: org, name: 'base', created_at: T, rows: 0, doc: '{"format":"dyte-mock-snapshot"}' },
  coverage: { org_id: org, kind: 'operation', key: 'createMeeting 201', count: 3 },
  row_counts: { org: org, tbl: 'presets', n: 1 },
  org_keys: { org: 'org-c', key: 'org-c\u001f1' },
  dead_keys: { key: 'org-c' },
}

/** What a column added by a later migration holds for the rows written before it. */
const addedLater: Record<string, unknown> = {
  'apps.created_by': null, // apps made before version 3 have no known creator
  'inbox.org_id': null, // inbox entries from before version 4 belong to no org
  'orgs.realtimekit': 0, // orgs from before version 6 count as Dyte orgs until reached through RealtimeKit's paths
}

const tables = (db: Db) =>
  db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((r) => r.name)
const columns = (db: Db, table: string) => db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name)

/** Inserts the rows of `rows` that the database's schema has room for (its tables, its columns). */
function insertRows (db: Db) {
  for (const table of tables(db)) {
    const have = columns(db, table)
    const row = Object.fromEntries(have.map((c) => [c, rows[table][c]]))
    db.prepare(`INSERT INTO ${table} (${have.join(', ')}) VALUES (${have.map((c) => '@' + c).join(', ')})`).run(row)
  }
}

/** A database file left by the dyte-mock whose schema was `version`, with one row in each of its tables. */
function oldDatabase (t: Test, version: number) {
  const path = tmpDb(t)
  const db = new Database(path)
  migrate(db, version)
  t.equal(db.pragma('user_version', { simple: true }), version)
  insertRows(db)
  const before = Object.fromEntries(tables(db).map((table) => [table, columns(db, table)]))
  db.close()
  return { path, before }
}

t.test('migrations: one file per version, listed in order, each listed once', async (t) => {
  const dir = new URL('../src/store/migrations/', import.meta.url)
  const files = readdirSync(dir).filter((f) => /^\d{3}-.+\.js$/.test(f)).sort()
  t.equal(files.length, latestVersion, 'every NNN-name file is a listed migration')
  for (const [i, file] of files.entries()) {
    const { migration } = await import(new URL(file, dir).href)
    t.equal(migration, migrations[i], `${file} is migrations[${i}]`)
    t.equal(file, `${String(i + 1).padStart(3, '0')}-${migration.name}.js`, 'its number is its version, its name its name')
    t.equal(migration.version, i + 1)
  }
})

t.test('migrations: the test rows cover every table and column of the latest schema', async (t) => {
  const db = new Database(':memory:')
  migrate(db)
  t.same(tables(db), Object.keys(rows).sort(), 'one row per table')
  for (const table of tables(db)) t.same(columns(db, table).sort(), Object.keys(rows[table]).sort(), `every column of ${table}`)
  // A migration that adds a column to an existing table must say what old rows get in it.
  const first = new Database(':memory:')
  migrate(first, 1)
  const added = tables(db).flatMap((table) => tables(first).includes(table)
    ? columns(db, table).filter((c) => !columns(first, table).includes(c)).map((c) => `${table}.${c}`)
    : [])
  t.same(added.sort(), Object.keys(addedLater).sort(), 'every column added after version 1 is in addedLater')
  db.close()
  first.close()
})

for (let version = 1; version < latestVersion; version++) {
  t.test(`migrations: a database at version ${version} with data migrates to ${latestVersion} and keeps it`, async (t) => {
    const { path, before } = oldDatabase(t, version)
    const db = openDb(path)
    t.teardown(() => db.close())
    t.equal(db.pragma('user_version', { simple: true }), latestVersion)
    for (const [table, had] of Object.entries(before)) {
      const [row, ...more] = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]
      t.equal(more.length, 0, `${table} has its one row`)
      const expected = Object.fromEntries(Object.keys(row).map((c) => [c, had.includes(c) ? rows[table][c] : addedLater[`${table}.${c}`]]))
      t.same(row, expected, `${table}: the old columns as written, the new ones as migrated`)
    }

    if (version < 7) {
      t.same(db.prepare('SELECT tbl, n FROM row_counts WHERE org = ? ORDER BY tbl').all(org), [...countedTables].sort().map((tbl) => ({ tbl, n: 1 })),
        'the row counts are computed from the rows there')
    }

    // The store reads what the old version wrote.
    const store = createStore(db)
    store.presets.stampWith(() => T)
    t.match(store.meetings.get(org, 'm1'), { title: 'Standup', persist_chat: true, recording_config: { max_seconds: 60 } })
    t.match(store.participants.get(org, 'm1', 'p1'), { name: 'Jane' })
    t.match(store.sessions.get(org, 's1'), { status: 'LIVE', minutes_consumed: 1.5 })
    t.match(store.sessions.peers(org, 's1'), [{ id: 'sp1' }])
    t.match(store.recordings.get(org, 'r1'), { status: 'INVOKED', start_reason: { reason: 'API_CALL' } })
    t.match(store.livestreams.get(org, 'l1'), { status: 'IDLE', disabled: false })
    t.match(store.livestreamSessions.get(org, 'ls1'), { livestream_id: 'l1' })
    t.match(store.webhooks.get(org, 'w1'), { events: ['meeting.started'], enabled: true })
    t.match(store.presets.get(org, 'pr1'), { name: 'host', config: {} })
    t.match(store.orgRecords.get('cli-token', 'org-b'), { name: 'Acme', contact: 'a@example.com' })
    t.match(store.deliveries.get(org, 'd1'), { status: 'pending' })
    t.match(store.deliveries.attempts('d1'), [{ status_code: 500 }])
    t.match(store.events.after(org, 0), [{ id: 'e1', payload: { event: 'meeting.started' } }])
    t.match(store.timers.nextDue(org, Number.MAX_SAFE_INTEGER), { ref_id: 'r1' })
    t.same(store.orgs.clock(org), { frozen_at_ms: 1_893_456_000_000, offset_ms: 0 })
    t.equal(store.orgs.nextIdSeq(org), 8)
    if (version < 6) t.equal(store.orgs.realtimeKit(org), false, 'an org from before version 6 is not taken for a RealtimeKit app')
    else t.equal(store.orgs.realtimeKit(org), true, 'an org marked as a RealtimeKit app stays one')
    t.equal(store.meta.get('url_signing_secret'), 's3cret')
    t.match(store.apps.get('acc', 'app-1'), { name: 'My app' })
    t.equal(store.apps.creator('app-1'), version >= 3 ? 'creator-key' : undefined, 'an app made before version 3 has no creator')
    t.equal(store.inbox.list(null, 'hook').length, 1, 'the inbox entry is listed without credentials')
    t.equal(store.inbox.list(org, 'hook').length, version >= 4 ? 1 : 0, 'an inbox entry from before version 4 belongs to no org')
    t.equal(store.faults.list(org).length, version >= 2 ? 1 : 0)
  })
}

t.test('migrations: row_counts follows inserts and deletes of the counted tables, per org', async (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  migrate(db)
  const count = (o: string, tbl: string) => db.prepare<[string, string], { n: number }>('SELECT n FROM row_counts WHERE org = ? AND tbl = ?').get(o, tbl)?.n
  t.equal(count(org, 'meetings'), undefined, 'nothing counted before the first row')
  const add = db.prepare(`INSERT INTO meetings (id, org_id, record_on_start, live_stream_on_start, persist_chat, summarize_on_end,
    transcribe_on_end, status, created_at, updated_at) VALUES (?, ?, 0, 0, 0, 0, 0, 'ACTIVE', '${T}', '${T}')`)
  for (let i = 0; i < 3; i++) add.run(`m${i}`, org)
  add.run('other', 'org-b')
  t.equal(count(org, 'meetings'), 3)
  t.equal(count('org-b', 'meetings'), 1)
  db.prepare('DELETE FROM meetings WHERE id = ?').run('m1')
  t.equal(count(org, 'meetings'), 2, 'a delete is counted')
  db.prepare('DELETE FROM meetings WHERE org_id = ?').run(org)
  t.equal(count(org, 'meetings'), 0)
  t.equal(count('org-b', 'meetings'), 1, 'per org')
  for (const tbl of countedTables) {
    t.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").all(tbl).length === 2, `${tbl} has its two triggers`)
  }
})

t.test('migrations: a database left by a newer dyte-mock is refused, unchanged, with a one-line message', async (t) => {
  const path = tmpDb(t)
  const newer = new Database(path)
  migrate(newer)
  newer.pragma(`application_id = ${APPLICATION_ID}`)
  newer.pragma(`user_version = ${latestVersion + 1}`)
  newer.close()
  const bytes = readFileSync(path)

  t.throws(() => openDb(path), { message: `database schema version ${latestVersion + 1} is newer than this dyte-mock (${latestVersion}): use a newer dyte-mock or another database file` })
  t.same(readFileSync(path), bytes, 'the file is byte for byte as it was')
  t.notOk(existsSync(`${path}-wal`), 'and was not switched to WAL')

  const run = spawnSync(process.execPath, ['dist/src/main.js', '--port', '0', '--db', path], { encoding: 'utf8', timeout: 30_000 })
  t.equal(run.status, 1, 'the server exits with status 1')
  t.equal(run.stderr, `dyte-mock: database schema version ${latestVersion + 1} is newer than this dyte-mock (${latestVersion}): use a newer dyte-mock or another database file (--db ${path})\n`)
  t.equal(run.stdout, '')
})
