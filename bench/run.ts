// npm run bench: dyte-mock beside a bare Fastify app on this machine, one load at a time (the two
// servers take turns under each scenario's load: see alternate() in lib.ts).
// Prints req/s, p99 latency and the ratio to the bare app per scenario, start-up time, memory,
// webhook delivery throughput and latency, the outbox's pick of due deliveries, reset time, list
// page 1 with 1,000 vs 1,000,000 sessions and a mixed three-minute soak, then ONE summary line with
// every ratio and figure, to compare two runs. A report, not a test: it exits 0 unless the run
// itself breaks. BENCH_DURATION (seconds, default 10) sets each measured run; BENCH_QUICK=1 makes
// a short run (3 s loads, a 20 s soak, 100,000 sessions).
import autocannon from 'autocannon'
import { createServer as createHttpServer } from 'node:http'
import { join } from 'node:path'
import { openDb } from '../src/store/db.js'
import { createStore } from '../src/store/index.js'
import { journalBench } from './journal.js'
import { restoreBench } from './restore.js'
import { listScaleBench } from './sessions.js'
import { soakBench } from './soak.js'
import { alternate, AUTH, cleanup, dir, DURATION, MOCK, QUICK, rssMiB, sleep, start, startupMs, stop, WARMUP } from './lib.js'

async function main () {
  const bareStart = await startupMs(() => ['dist/bench/bare.js', '{port}'])
  const mockStart = await startupMs((i) => [...MOCK, '--port', '{port}', '--db', join(dir, `start-${i}.db`)])
  const bare = await start(['dist/bench/bare.js', '{port}'])
  const mock = await start([...MOCK, '--port', '{port}', '--db', join(dir, 'bench.db')])
  await sleep(1500)
  const idleRss = rssMiB(mock.child.pid!)

  // 10,000 meetings in the org
  const json = { 'content-type': 'application/json', authorization: AUTH }
  await autocannon({ url: `${mock.base}/v2/meetings`, method: 'POST', headers: json, body: '{"title":"Seed"}', connections: 20, amount: 10_000 })
  const page = await (await fetch(`${mock.base}/v2/meetings?per_page=1`, { headers: { authorization: AUTH } })).json() as any
  const id = page.data[0].id
  const total = page.paging.total_count

  const scenarios = [
    { name: 'GET /v2/meetings/{id}', bare: { url: `${bare.base}/v2/meetings/${id}` }, mock: { url: `${mock.base}/v2/meetings/${id}`, headers: { authorization: AUTH } }, floor: 0.40 },
    { name: `GET /v2/meetings?per_page=20 (${total} in org)`, bare: { url: `${bare.base}/v2/meetings?per_page=20` }, mock: { url: `${mock.base}/v2/meetings?per_page=20`, headers: { authorization: AUTH } } },
    { name: 'POST /v2/meetings (validated)', bare: { url: `${bare.base}/v2/meetings`, method: 'POST' as const, headers: json, body: '{"title":"Bench"}' }, mock: { url: `${mock.base}/v2/meetings`, method: 'POST' as const, headers: json, body: '{"title":"Bench","record_on_start":false}' }, floor: 0.15 },
  ]
  const rows = []
  for (const s of scenarios) {
    const [b, m] = await alternate(s.bare, s.mock)
    rows.push({ ...s, b, m, ratio: m.rps / b.rps })
  }
  const afterRss = rssMiB(mock.child.pid!)

  const deliveries = await webhookBench(mock.base)
  const reset = await resetBench(mock.base)
  const outbox = outboxBench()
  const journal = await journalBench(dir, AUTH)
  await stop(mock)
  const scale = await listScaleBench()
  const soakServer = await start([...MOCK, '--port', '{port}', '--db', join(dir, 'soak.db')])
  const soak = await soakBench(soakServer)
  await stop(soakServer)
  await stop(bare)

  console.log(`\ndyte-mock benchmark (${DURATION} s per run after ${WARMUP} s warm-up, bare and dyte-mock in 2 s turns, 50 connections, Node ${process.version}${QUICK ? ', BENCH_QUICK' : ''})\n`)
  // The load generator's CPU: near one core, it and not the server set the pace (the ratio then says less).
  const cores = (x?: number) => (x === undefined ? '' : x.toFixed(2))
  console.log('| scenario | bare Fastify req/s | dyte-mock req/s | p99 ms (bare / mock) | ratio | errors | load generator cores (bare / mock) |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of rows) {
    console.log(`| ${r.name} | ${Math.round(r.b.rps)} | ${Math.round(r.m.rps)} | ${r.b.p99} / ${r.m.p99} | ${(r.ratio * 100).toFixed(0)}% | ${r.m.errors} | ${cores(r.b.client)} / ${cores(r.m.client)} |`)
  }
  const bareList = rows[1].b
  for (const [n, m] of [[1000, scale.small], [scale.largeCount, scale.large]] as const) {
    console.log(`| GET /v2/sessions?per_page=20 (${n} in org) | ${Math.round(bareList.rps)} (the list above) | ${Math.round(m.rps)} | ${bareList.p99} / ${m.p99} | ${(m.rps / bareList.rps * 100).toFixed(0)}% | ${m.errors} | |`)
  }
  console.log(`\nsessions list page 1: ${scale.largeCount} vs 1000 in the org ${scale.ratio.toFixed(2)}× the cost (req/s small / large); ` +
    `first request (nothing cached) ${scale.coldLargeMs.toFixed(1)} ms vs ${scale.coldSmallMs.toFixed(1)} ms; ${scale.largeCount + 1000} rows seeded in ${(scale.seedMs / 1000).toFixed(1)} s`)
  console.log(`soak: ${soak.sent} requests in ${soak.seconds} s (${soak.rate.toFixed(0)} req/s); RSS ${soak.rss.map((r) => r.toFixed(0)).join(' → ')} MiB`)
  console.log('| soak request kind | n | errors | p50 ms | p99 ms |\n|---|---|---|---|---|')
  for (const [k, v] of Object.entries(soak.kinds)) console.log(`| ${k} | ${v.n} | ${v.errors} | ${v.p50.toFixed(1)} | ${v.p99.toFixed(1)} |`)
  console.log(`soak webhooks: ${soak.delivered} received, lag (event time → receipt) p50 ${soak.lagP50} ms, p99 ${soak.lagP99} ms; backlog 1 s after the load: ${soak.backlog} pending`)
  console.log(`\nstart-up (spawn → first 2xx on /health, median of 5, new database): dyte-mock ${mockStart.toFixed(0)} ms, bare ${bareStart.toFixed(0)} ms`)
  console.log(`RSS: idle ${idleRss.toFixed(0)} MiB, after the load ${afterRss.toFixed(0)} MiB`)
  console.log(`webhooks: ${deliveries.perSecond.toFixed(0)} signed deliveries/s (${deliveries.webhooks} webhooks, ${deliveries.count} deliveries); ` +
    `${deliveries.oneHook.toFixed(0)}/s to a single webhook (one at a time, in order)`)
  console.log(`webhooks: state change → first attempt p50 ${deliveries.p50.toFixed(1)} ms, p99 ${deliveries.p99.toFixed(1)} ms (${deliveries.samples} samples, real-time clock)`)
  console.log(`outbox: picking the due deliveries (heads) ${outbox.largeMs.toFixed(3)} ms with 10,000 pending, ${outbox.smallMs.toFixed(3)} ms with 100 (median of 101)`)
  console.log(`journal: GET /v2/meetings/{id} ${Math.round(journal.on)} req/s with the journal on, ${Math.round(journal.off)} off (${(journal.ratio * 100).toFixed(0)}%)`)
  console.log(`reset: org with ${reset.rows} meetings ${reset.bigMs.toFixed(1)} ms (median of 5; a GET /health round trip just before: ${reset.healthMs.toFixed(1)} ms); ` +
    `org with a meeting, a participant and a webhook ${reset.smallMs.toFixed(2)} ms (median of 20)`)

  const floors = [
    ['GET by id ≥ 40% of bare', rows[0].ratio >= 0.40],
    ['validated POST ≥ 15% of bare', rows[2].ratio >= 0.15],
    ['start < 400 ms', mockStart < 400],
    ['idle RSS < 100 MiB', idleRss < 100],
    ['≥ 300 signed deliveries/s', deliveries.perSecond >= 300],
    ['delivery latency p50 < 20 ms', deliveries.p50 < 20],
    // A scan of every pending row is ~100 times slower at 10,000 than at 100; index seeks are not.
    ['GET by id with the journal on ≥ 90% of off', journal.ratio >= 0.9],
    ['outbox pick at 10,000 pending < 10× at 100', outbox.largeMs < outbox.smallMs * 10 + 0.05],
    ['GET /v2/meetings/{id} ≥ 60% of bare (goal)', rows[0].ratio >= 0.60],
    ['GET /v2/meetings?per_page=20 (10,000 in org) ≥ 40% of bare (goal)', rows[1].ratio >= 0.40],
    ['validated POST ≥ 40% of bare (goal)', rows[2].ratio >= 0.40],
    ['reset of an org with 10,000 meetings ≤ 5 ms (goal)', reset.bigMs <= 5],
    [`sessions list page 1 at ${scale.largeCount} ≤ 2× the cost at 1,000 (goal)`, scale.ratio <= 2],
    ['start-up ≤ 1.3× bare (goal)', mockStart <= bareStart * 1.3],
    ['idle RSS ≤ 80 MiB (goal)', idleRss <= 80],
    // Flat: the last reading at most 5 MiB above the one a minute before.
    ['soak RSS ≤ 150 MiB and flat over the last minute (goal)', soak.rss.at(-1)! <= 150 && soak.rss.at(-1)! - soak.rss.at(-2)! <= 5],
    ['no delivery pending 1 s after the soak, delivery lag p99 ≤ 1 s (goal)', soak.backlog === 0 && soak.lagP99 <= 1000],
  ] as const
  console.log('\n' + floors.map(([f, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${f}`).join('\n'))
  const restore = await restoreBench(dir)
  const pct = (x: number) => (x * 100).toFixed(0) + '%'
  console.log('\nSUMMARY ' + [
    `quick=${QUICK ? 1 : 0}`,
    `get=${pct(rows[0].ratio)}`, `list10k=${pct(rows[1].ratio)}`, `post=${pct(rows[2].ratio)}`,
    `sessions1k=${pct(scale.small.rps / bareList.rps)}`, `sessions${scale.largeCount / 1000}k=${pct(scale.large.rps / bareList.rps)}`, `sessionsScale=${scale.ratio.toFixed(2)}x`,
    `reset10k=${reset.bigMs.toFixed(1)}ms`, `health=${reset.healthMs.toFixed(1)}ms`, `resetSmall=${reset.smallMs.toFixed(2)}ms`, `start=${mockStart.toFixed(0)}ms`, `idleRss=${idleRss.toFixed(0)}MiB`,
    `hooks=${deliveries.perSecond.toFixed(0)}/s`, `hookP50=${deliveries.p50.toFixed(1)}ms`, `journal=${pct(journal.ratio)}`, `restore=${restore.httpMs.toFixed(1)}ms`,
    `soak=${soak.rate.toFixed(0)}rps`, `soakRss=${soak.rss.at(-1)!.toFixed(0)}MiB`,
    `soakP99=${Object.entries(soak.kinds).map(([k, v]) => `${k}:${v.p99.toFixed(0)}`).join(',')}`,
    `soakErrors=${Object.values(soak.kinds).reduce((a, v) => a + v.errors, 0)}`,
    `lagP50=${soak.lagP50}ms`, `lagP99=${soak.lagP99}ms`, `backlog=${soak.backlog}`,
  ].join(' '))
}

/** Signed deliveries to a local receiver: throughput, and latency from the state change. */
async function webhookBench (base: string) {
  const org = 'Basic ' + Buffer.from('bench-webhooks:key').toString('base64')
  const headers = { 'content-type': 'application/json', authorization: org }
  const arrivals: number[] = []
  const receiver = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => { arrivals.push(performance.now()); res.end('ok') })
  })
  const port = await new Promise<number>((r) => receiver.listen(0, '127.0.0.1', () => r((receiver.address() as { port: number }).port)))
  const hook = async (name: string) => ((await (await fetch(`${base}/v2/webhooks`, { method: 'POST', headers, body: JSON.stringify({ name, url: `http://127.0.0.1:${port}/${name}`, events: ['meeting.started'] }) })).json()) as any).data.id as string
  const until = async (n: number) => { while (arrivals.length < n) await sleep(1) }

  // latency: one state change at a time, timed from the request that causes it
  const first = await hook('latency')
  const samples: number[] = []
  for (let i = 0; i < 200; i++) {
    const n = arrivals.length
    const t0 = performance.now()
    await fetch(`${base}/_mock/webhooks/${first}/test`, { method: 'POST', headers, body: '{}' })
    await until(n + 1)
    samples.push(arrivals[n] - t0)
  }
  samples.sort((a, b) => a - b)

  // throughput to one webhook (serial by design), then to several at once
  const burst = async (ids: string[], each: number) => {
    const n0 = arrivals.length
    const t0 = performance.now()
    await autocannon({ url: `${base}/_mock/webhooks/${ids[0]}/test`, method: 'POST', headers, body: '{}', connections: 10, amount: each,
      requests: ids.map((id) => ({ path: `/_mock/webhooks/${id}/test` })) } as autocannon.Options)
    await until(n0 + each)
    return each / ((performance.now() - t0) / 1000)
  }
  const oneHook = await burst([first], 1000)
  const many = await Promise.all(['a', 'b', 'c', 'd'].map(hook))
  const started = performance.now()
  const n0 = arrivals.length
  await Promise.all(many.map((id) => autocannon({ url: `${base}/_mock/webhooks/${id}/test`, method: 'POST', headers, body: '{}', connections: 5, amount: 1000 })))
  await until(n0 + 4000)
  const perSecond = 4000 / ((performance.now() - started) / 1000)
  receiver.close()
  return { perSecond, oneHook, webhooks: 4, count: 4000, p50: samples[100], p99: samples[198], samples: samples.length }
}

/** Median time of the outbox's pick of every webhook's next delivery, with 100 and 10,000 pending for one webhook. */
function outboxBench () {
  const median = (pending: number) => {
    const store = createStore(openDb(':memory:'))
    store.tx(() => {
      for (let i = 0; i < pending; i++) {
        store.deliveries.insert({
          id: `d${i}`, org_id: 'bench', webhook_id: 'w', event_id: null, event_type: 'meeting.started', meeting_id: null, url: 'http://127.0.0.1:9/h',
          body: '{}', signature: null, status: 'pending', attempts: 0, next_attempt_at_ms: 0, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z',
        })
      }
    })
    const times: number[] = []
    for (let i = 0; i < 101; i++) {
      const t0 = performance.now()
      store.deliveries.heads()
      times.push(performance.now() - t0)
    }
    return times.sort((a, b) => a - b)[50]
  }
  return { smallMs: median(100), largeMs: median(10_000) }
}

/**
 * POST /_mock/reset of an org with exactly 10,000 meetings, five times (median reported), beside
 * a GET /health round trip taken just before each: on a loaded machine the round trip alone can
 * take milliseconds, so the reset's own share is the difference.
 */
async function resetBench (base: string) {
  const big = 'Basic ' + Buffer.from('bench-reset:key').toString('base64')
  const bigTimes: number[] = []
  const healthTimes: number[] = []
  let rows = 0
  for (let round = 0; round < 5; round++) {
    await autocannon({ url: `${base}/v2/meetings`, method: 'POST', headers: { 'content-type': 'application/json', authorization: big }, body: '{"title":"r"}', connections: 20, amount: 10_000 })
    rows = ((await (await fetch(`${base}/v2/meetings?per_page=1`, { headers: { authorization: big } })).json()) as any).paging.total_count as number
    const h = performance.now()
    await (await fetch(`${base}/health`)).text()
    healthTimes.push(performance.now() - h)
    const t0 = performance.now()
    const r = await fetch(`${base}/_mock/reset`, { method: 'POST', headers: { authorization: big } })
    bigTimes.push(performance.now() - t0)
    if (!r.ok) throw new Error(`reset failed: ${r.status}`)
    const after = ((await (await fetch(`${base}/v2/meetings?per_page=1`, { headers: { authorization: big } })).json()) as any).paging.total_count as number
    if (after !== 0) throw new Error(`reset left ${after} meetings`)
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const bigMs = median(bigTimes)
  const healthMs = median(healthTimes)
  const small = 'Basic ' + Buffer.from('bench-small:key').toString('base64')
  const headers = { 'content-type': 'application/json', authorization: small }
  const times: number[] = []
  for (let i = 0; i < 20; i++) {
    const m = (await (await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: '{"title":"t"}' })).json() as any).data
    await fetch(`${base}/v2/meetings/${m.id}/participants`, { method: 'POST', headers, body: '{"preset_name":"group_call_host"}' })
    await fetch(`${base}/v2/webhooks`, { method: 'POST', headers, body: '{"name":"w","url":"http://127.0.0.1:9/x","events":["meeting.started"]}' })
    const s = performance.now()
    await fetch(`${base}/_mock/reset`, { method: 'POST', headers: { authorization: small } })
    times.push(performance.now() - s)
  }
  return { rows, bigMs, healthMs, smallMs: median(times) }
}

try {
  await main()
} finally {
  cleanup()
}
