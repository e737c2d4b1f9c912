// npm run bench: dyte-mock beside a bare Fastify app on this machine, one load at a time.
// Prints req/s, p99 latency and the ratio to the bare app per scenario, start-up time, memory,
// webhook delivery throughput and latency, the outbox's pick of due deliveries, and reset time. A report, not a test: it exits 0
// unless the run itself breaks. BENCH_DURATION (seconds, default 10) sets each measured run.
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer as createHttpServer } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../src/store/db.js'
import { createStore } from '../src/store/index.js'
import { journalBench } from './journal.js'
import { restoreBench } from './restore.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const WARMUP = Math.min(3, DURATION)
const AUTH = 'Basic ' + Buffer.from('bench:key').toString('base64')
const children: ChildProcess[] = []
const dir = mkdtempSync(join(tmpdir(), 'dyte-mock-bench-'))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const freePort = () => new Promise<number>((resolve) => {
  const s = createNetServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port
    s.close(() => resolve(port))
  })
})
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

async function start (args: string[]) {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(process.execPath, [...args.map((a) => a.replace('{port}', String(port)))], { stdio: ['ignore', 'ignore', 'inherit'] })
  children.push(child)
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break
    } catch {}
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited`)
    await sleep(5)
  }
  return { child, base, startMs: performance.now() - t0 }
}

async function load (opts: autocannon.Options, duration = DURATION) {
  await autocannon({ ...opts, connections: 50, duration: WARMUP })
  const r = await autocannon({ ...opts, connections: 50, duration })
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx }
}

/** Median start-up of five fresh processes (each on a new database for dyte-mock). */
async function startupMs (args: (i: number) => string[]) {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const p = await start(args(i))
    times.push(p.startMs)
    p.child.kill('SIGTERM')
    await new Promise((r) => p.child.once('exit', r))
  }
  return times.sort((a, b) => a - b)[2]
}

async function main () {
  const bareStart = await startupMs(() => ['dist/bench/bare.js', '{port}'])
  const mockStart = await startupMs((i) => ['dist/src/main.js', '--port', '{port}', '--db', join(dir, `start-${i}.db`)])
  const bare = await start(['dist/bench/bare.js', '{port}'])
  const mock = await start(['dist/src/main.js', '--port', '{port}', '--db', join(dir, 'bench.db')])
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
    const b = await load(s.bare)
    const m = await load(s.mock)
    rows.push({ ...s, b, m, ratio: m.rps / b.rps })
  }
  const afterRss = rssMiB(mock.child.pid!)

  const deliveries = await webhookBench(mock.base)
  const reset = await resetBench(mock.base)
  const outbox = outboxBench()
  const journal = await journalBench(start, load, join(dir, 'journal.db'), AUTH)

  console.log(`\ndyte-mock benchmark (${DURATION} s per run after ${WARMUP} s warm-up, 50 connections, Node ${process.version})\n`)
  console.log('| scenario | bare Fastify req/s | dyte-mock req/s | p99 ms (bare / mock) | ratio | errors |')
  console.log('|---|---|---|---|---|---|')
  for (const r of rows) {
    console.log(`| ${r.name} | ${Math.round(r.b.rps)} | ${Math.round(r.m.rps)} | ${r.b.p99} / ${r.m.p99} | ${(r.ratio * 100).toFixed(0)}% | ${r.m.errors} |`)
  }
  console.log(`\nstart-up (spawn → first 2xx on /health, median of 5, new database): dyte-mock ${mockStart.toFixed(0)} ms, bare ${bareStart.toFixed(0)} ms`)
  console.log(`RSS: idle ${idleRss.toFixed(0)} MiB, after the load ${afterRss.toFixed(0)} MiB`)
  console.log(`webhooks: ${deliveries.perSecond.toFixed(0)} signed deliveries/s (${deliveries.webhooks} webhooks, ${deliveries.count} deliveries); ` +
    `${deliveries.oneHook.toFixed(0)}/s to a single webhook (one at a time, in order)`)
  console.log(`webhooks: state change → first attempt p50 ${deliveries.p50.toFixed(1)} ms, p99 ${deliveries.p99.toFixed(1)} ms (${deliveries.samples} samples, real-time clock)`)
  console.log(`outbox: picking the due deliveries (heads) ${outbox.largeMs.toFixed(3)} ms with 10,000 pending, ${outbox.smallMs.toFixed(3)} ms with 100 (median of 101)`)
  console.log(`journal: GET /v2/meetings/{id} ${Math.round(journal.on)} req/s with the journal on, ${Math.round(journal.off)} off (${(journal.ratio * 100).toFixed(0)}%)`)
  console.log(`reset: org with ${reset.rows} meetings ${reset.bigMs.toFixed(1)} ms; org with a meeting, a participant and a webhook ${reset.smallMs.toFixed(2)} ms (median of 20); 10,000-row figure: median of 3`)

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
  ] as const
  console.log('\n' + floors.map(([f, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${f}`).join('\n'))
  await restoreBench(dir)
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

async function resetBench (base: string) {
  // An org of its own with exactly 10,000 meetings, three times; the median is reported.
  const big = 'Basic ' + Buffer.from('bench-reset:key').toString('base64')
  const bigTimes: number[] = []
  let rows = 0
  for (let round = 0; round < 3; round++) {
    await autocannon({ url: `${base}/v2/meetings`, method: 'POST', headers: { 'content-type': 'application/json', authorization: big }, body: '{"title":"r"}', connections: 20, amount: 10_000 })
    rows = ((await (await fetch(`${base}/v2/meetings?per_page=1`, { headers: { authorization: big } })).json()) as any).paging.total_count as number
    const t0 = performance.now()
    const r = await fetch(`${base}/_mock/reset`, { method: 'POST', headers: { authorization: big } })
    bigTimes.push(performance.now() - t0)
    if (!r.ok) throw new Error(`reset failed: ${r.status}`)
  }
  const bigMs = bigTimes.sort((a, b) => a - b)[1]
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
  times.sort((a, b) => a - b)
  return { rows, bigMs, smallMs: times[10] }
}

try {
  await main()
} finally {
  for (const c of children) c.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
