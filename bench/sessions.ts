// List page 1 of GET /v2/sessions with 1,000 sessions in the org and with 1,000,000 (100,000 with
// BENCH_QUICK=1). The rows are written straight into a copy of a new database file, with one
// prepared statement in one transaction, before the server starts on it. Goal: the large org's
// page 1 costs at most twice the small one's (req/s small / large ≤ 2).
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDb } from '../src/store/db.js'
import { basic, dir, load, MOCK, QUICK, start, stop, type Load } from './lib.js'

export interface ListScaleRow { small: Load, large: Load, largeCount: number, coldSmallMs: number, coldLargeMs: number, seedMs: number, ratio: number }

/** A new, migrated database file (the server's schema) to copy. */
function emptyDb (path: string) {
  openDb(path).close()
  return path
}

function seed (path: string, orgs: Array<[org: string, n: number]>) {
  const db = openDb(path)
  try {
    const insert = db.prepare(`INSERT INTO sessions (id, org_id, meeting_id, meeting_display_name, type, status, live_participants,
      max_concurrent_participants, minutes_consumed, started_at, ended_at, created_at, updated_at, meta)
      VALUES (?, ?, ?, 'Seeded', 'meeting', 'ENDED', 0, 2, 30, ?, ?, ?, ?, NULL)`)
    const base = Date.parse('2030-01-01T00:00:00.000Z')
    db.transaction(() => {
      for (const [org, n] of orgs) {
        const meeting = crypto.randomUUID()
        for (let i = 0; i < n; i++) {
          const started = new Date(base + i * 60_000).toISOString()
          const ended = new Date(base + i * 60_000 + 1_800_000).toISOString()
          insert.run(crypto.randomUUID(), org, meeting, started, ended, started, ended)
        }
      }
    })()
  } finally {
    db.close()
  }
}

/** One request's time (the first, before anything is cached). */
async function once (url: string, auth: string) {
  const t0 = performance.now()
  const res = await fetch(url, { headers: { authorization: auth } })
  const body = await res.json() as { paging: { total_count: number } }
  return { ms: performance.now() - t0, total: body.paging.total_count }
}

export async function listScaleBench (): Promise<ListScaleRow> {
  const largeN = QUICK ? 100_000 : 1_000_000
  const path = join(dir, 'sessions.db')
  copyFileSync(emptyDb(join(dir, 'empty.db')), path)
  const t0 = performance.now()
  seed(path, [['bench-s-small', 1000], ['bench-s-large', largeN]])
  const seedMs = performance.now() - t0
  const p = await start([...MOCK, '--port', '{port}', '--db', path])
  try {
    const small = basic('bench-s-small')
    const large = basic('bench-s-large')
    const url = `${p.base}/v2/sessions?per_page=20`
    const coldSmall = await once(url, small)
    const coldLarge = await once(url, large)
    if (coldLarge.total !== largeN || coldSmall.total !== 1000) throw new Error(`seeded counts: ${coldSmall.total}, ${coldLarge.total}`)
    const s = await load({ url, headers: { authorization: small } })
    const l = await load({ url, headers: { authorization: large } })
    return { small: s, large: l, largeCount: largeN, coldSmallMs: coldSmall.ms, coldLargeMs: coldLarge.ms, seedMs, ratio: s.rps / l.rps }
  } finally {
    await stop(p)
  }
}
