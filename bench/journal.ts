// The request journal's cost: GET /v2/meetings/{id} with the journal on (the default) and off
// (--journal-size 0). The goal: on keeps at least 90% of the throughput of off.
import autocannon from 'autocannon'
import { MOCK } from './lib.js'

export interface JournalRow { on: number, off: number, ratio: number }

type Start = (args: string[]) => Promise<{ child: { kill: (s: NodeJS.Signals) => boolean }, base: string }>
type Load = (opts: autocannon.Options) => Promise<{ rps: number }>

/** Starts dyte-mock twice on `dbPath` (read-only load), one at a time, and measures GET by id on each. */
export async function journalBench (start: Start, load: Load, dbPath: string, auth: string): Promise<JournalRow> {
  const measure = async (size: string) => {
    const p = await start([...MOCK, '--port', '{port}', '--db', dbPath, '--journal-size', size])
    try {
      const headers = { authorization: auth, 'content-type': 'application/json' }
      const id = ((await (await fetch(`${p.base}/v2/meetings`, { method: 'POST', headers, body: '{"title":"Journal"}' })).json()) as any).data.id as string
      return (await load({ url: `${p.base}/v2/meetings/${id}`, headers: { authorization: auth } })).rps
    } finally {
      p.child.kill('SIGTERM')
    }
  }
  const off = await measure('0')
  const on = await measure('10000')
  return { on, off, ratio: on / off }
}
