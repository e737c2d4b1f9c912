// What every benchmark scenario shares: the run's settings (BENCH_DURATION, BENCH_QUICK), a scratch
// folder, starting servers as child processes on free ports, autocannon loads and RSS readings.
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** BENCH_QUICK=1: a short run (3 s loads, a 20 s soak, 100,000 sessions instead of 1,000,000) while developing. */
/**
 * dyte-mock as `npm start` runs it (the bin and the Docker image give node the same flags): node's
 * arguments before the script, then the script.
 */
export const MOCK = (JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string).split(' ').slice(1)
export const QUICK = process.env.BENCH_QUICK === '1'
export const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 3 : 10))
export const WARMUP = Math.min(QUICK ? 1 : 3, DURATION)
export const basic = (org: string) => 'Basic ' + Buffer.from(`${org}:key`).toString('base64')
export const AUTH = basic('bench')
export const dir = mkdtempSync(join(tmpdir(), 'dyte-mock-bench-'))
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const children: ChildProcess[] = []

export const freePort = () => new Promise<number>((resolve) => {
  const s = createNetServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port
    s.close(() => resolve(port))
  })
})

export const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

export interface Started { child: ChildProcess, base: string, startMs: number }

/** Spawns `node <args>` ({port} replaced by a free port) and waits for its /health to answer 2xx. */
export async function start (args: string[]): Promise<Started> {
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

/** Stops a started server and waits for it to exit. */
export async function stop (p: Started) {
  if (p.child.exitCode !== null) return
  const exited = new Promise((r) => p.child.once('exit', r))
  p.child.kill('SIGTERM')
  await exited
}

export interface Load {
  rps: number
  p99: number
  errors: number
  /** The load generator's CPU while it ran, in cores (alternate() only): near 1, it and not the server set the pace. */
  client?: number
}

/** 50 connections for WARMUP seconds (not counted), then for `duration` seconds. */
export async function load (opts: autocannon.Options, duration = DURATION): Promise<Load> {
  await autocannon({ ...opts, connections: 50, duration: WARMUP })
  const r = await autocannon({ ...opts, connections: 50, duration })
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx }
}

/** The length of one turn of alternate(), in seconds. */
const SLICE = 2

/**
 * The same load on two servers in turns: WARMUP seconds each (not counted), then SLICE-second turns,
 * a, b, a, b, …, until each had `duration` seconds. This machine's speed changes by a third from
 * one few-second spell to the next; in turns, a slow spell falls on both, so their ratio is about
 * the servers and not about when each was measured. req/s is over all of a server's turns; p99 is
 * the highest of its turns'.
 */
export async function alternate (a: autocannon.Options, b: autocannon.Options, duration = DURATION): Promise<[Load, Load]> {
  for (const opts of [a, b]) await autocannon({ ...opts, connections: 50, duration: WARMUP })
  const turns = Math.max(1, Math.round(duration / SLICE))
  const sums = [a, b].map(() => ({ requests: 0, seconds: 0, p99: 0, errors: 0, cpuMicros: 0 }))
  for (let i = 0; i < turns; i++) {
    for (const [k, opts] of [a, b].entries()) {
      const cpu = process.cpuUsage()
      const r = await autocannon({ ...opts, connections: 50, duration: duration / turns })
      const used = process.cpuUsage(cpu)
      sums[k].cpuMicros += used.user + used.system
      sums[k].requests += r.requests.total
      sums[k].seconds += r.duration
      sums[k].p99 = Math.max(sums[k].p99, r.latency.p99)
      sums[k].errors += r.errors + r.non2xx
    }
  }
  const [x, y] = sums.map((s) => ({ rps: s.requests / s.seconds, p99: s.p99, errors: s.errors, client: s.cpuMicros / 1e6 / s.seconds }))
  return [x, y]
}

/** Median start-up of five fresh processes (each on a new database for dyte-mock). */
export async function startupMs (args: (i: number) => string[]) {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const p = await start(args(i))
    times.push(p.startMs)
    await stop(p)
  }
  return times.sort((a, b) => a - b)[2]
}

/** The value at quantile q (0..1) of sorted numbers. */
export const quantile = (sorted: number[], q: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN

/** JSON of a request that must succeed. */
export async function call (base: string, auth: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<any>
}

/** Stops every server still running and removes the scratch folder. */
export function cleanup () {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
