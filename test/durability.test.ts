// A write acknowledged with a 2xx survives a kill -9 of the process.
import t from 'tap'
import { spawnServer, tmpDb } from './helpers.js'

t.test('kill -9: every acknowledged write is there after a restart', async (t) => {
  const dbPath = tmpDb(t)
  let { child, base } = await spawnServer(dbPath)
  t.teardown(() => { child.kill('SIGKILL') })
  const headers = { authorization: 'Basic ' + Buffer.from('durable:key').toString('base64'), 'content-type': 'application/json' }
  const acked: string[] = []
  // 40 writers in parallel; the process is killed the moment 400 writes have been acknowledged.
  let stop = false
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: `w${w}-${i}` }) })
        if (res.status === 201) acked.push(((await res.json()) as any).data.id)
        if (acked.length >= 400 && !stop) { stop = true; child.kill('SIGKILL') }
      } catch { return }
    }
  }
  await Promise.all(Array.from({ length: 40 }, (_, w) => writer(w)))
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)))
  t.ok(acked.length >= 400)

  ;({ child, base } = await spawnServer(dbPath))
  const list = await (await fetch(`${base}/v2/meetings?per_page=1000`, { headers })).json() as any
  const stored = new Set(list.data.map((m: any) => m.id))
  t.same(acked.filter((id) => !stored.has(id)), [], `all ${acked.length} acknowledged meetings survived`)
  t.ok(list.paging.total_count >= acked.length)
  child.kill('SIGTERM')
  t.equal(await new Promise((r) => child.once('exit', r)), 0, 'SIGTERM exits 0')
})
