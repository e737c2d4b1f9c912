// The request journal's cost: GET /v2/meetings/{id} with the journal on (the default) and off
// (--journal-size 0). The goal: on keeps at least 90% of the throughput of off.
import type autocannon from 'autocannon'
import { join } from 'node:path'
import { alternate, MOCK, start, stop } from './lib.js'

export interface JournalRow { on: number, off: number, ratio: number }

/** Starts dyte-mock with the journal on and off (a database each in `dir`), and loads GET by id on both in turns. */
export async function journalBench (dir: string, auth: string): Promise<JournalRow> {
  const servers = await Promise.all(['10000', '0'].map((size) => start([...MOCK, '--port', '{port}', '--db', join(dir, `journal-${size}.db`), '--journal-size', size])))
  try {
    const loads: autocannon.Options[] = []
    for (const p of servers) {
      const headers = { authorization: auth, 'content-type': 'application/json' }
      const id = ((await (await fetch(`${p.base}/v2/meetings`, { method: 'POST', headers, body: '{"title":"Journal"}' })).json()) as any).data.id as string
      loads.push({ url: `${p.base}/v2/meetings/${id}`, headers: { authorization: auth } })
    }
    const [on, off] = await alternate(loads[0], loads[1])
    return { on: on.rps, off: off.rps, ratio: on.rps / off.rps }
  } finally {
    for (const p of servers) await stop(p)
  }
}
