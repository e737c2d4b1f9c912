// Snapshot restore time for an org with 1,000 rows (200 meetings with 4 participants each, and the
// built-in presets), in process on a database file: after what a test typically changes, through
// HTTP (POST /_mock/snapshots/{name}/restore) and the restore alone, and after a reset (every row
// written again). Goal: ≤ 10 ms, so a suite can restore before every test.
import { join } from 'node:path'
import { createServer } from '../src/server.js'

export async function restoreBench (dir: string) {
  const app = await createServer({ dbPath: join(dir, 'restore.db'), logLevel: 'silent' })
  const headers = { authorization: 'Basic ' + Buffer.from('bench-restore:key').toString('base64'), 'content-type': 'application/json' }
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await app.inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  try {
    for (let i = 0; i < 200; i++) {
      const m = (await call('POST', '/v2/meetings', { title: `m${i}` })).data
      for (let j = 0; j < 4; j++) await call('POST', `/v2/meetings/${m.id}/participants`, { name: `p${j}`, preset_name: 'group_call_host', custom_participant_id: `p${i}-${j}` })
    }
    const rows = (await call('POST', '/_mock/snapshots', { name: 'bench' })).data.rows as number
    /** Median of 21 restores, each after `change` (not timed). */
    const median = async (change: () => Promise<unknown>, restore: () => Promise<unknown> | unknown) => {
      const times: number[] = []
      for (let i = 0; i < 21; i++) {
        await change()
        const t0 = performance.now()
        await restore()
        times.push(performance.now() - t0)
      }
      return times.sort((a, b) => a - b)[10]
    }
    // What a test typically leaves behind: a new meeting with a participant, one meeting changed.
    let n = 0
    const aTest = async () => {
      const m = (await call('POST', '/v2/meetings', { title: `test ${n++}` })).data
      await call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', custom_participant_id: 'x' })
      const first = (await call('GET', '/v2/meetings?per_page=1')).data[0]
      await app.inject({ method: 'PATCH', url: `/v2/meetings/${first.id}`, headers, payload: '{"title":"renamed"}' })
    }
    const httpMs = await median(aTest, () => call('POST', '/_mock/snapshots/bench/restore'))
    const directMs = await median(aTest, () => app.dyte.sim.snapshots.restore('bench-restore', 'bench'))
    const afterResetMs = await median(() => call('POST', '/_mock/reset'), () => call('POST', '/_mock/snapshots/bench/restore'))
    console.log(`restore: org with ${rows} rows after a typical test ${httpMs.toFixed(2)} ms through HTTP (${directMs.toFixed(2)} ms the restore alone); ` +
      `every row rewritten (after a reset) ${afterResetMs.toFixed(2)} ms (medians of 21)`)
    console.log(`${httpMs <= 10 && afterResetMs <= 10 ? 'PASS' : 'FAIL'}  snapshot restore at 1,000 rows ≤ 10 ms`)
    return { rows, httpMs, directMs, afterResetMs }
  } finally {
    await app.close()
  }
}
