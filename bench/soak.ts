// The mixed soak: about 480 requests/s for three minutes (20 s with BENCH_QUICK=1) against one
// server: reads, writes and lists of meetings, clock advances, participants joining and leaving
// through the /_mock session endpoints, recordings started and stopped, and webhooks delivered to a local
// receiver. Prints RSS each minute, p50/p99 per request kind, webhook lag (the event's time on the
// org clock → receipt; the hooks' org keeps a real-time clock) and the delivery backlog 1 s after
// the load stops.
import { createServer as createHttpServer } from 'node:http'
import { basic, call, QUICK, quantile, rssMiB, sleep, type Started } from './lib.js'

export interface SoakResult {
  seconds: number, sent: number, rate: number, rss: number[], kinds: Record<string, { n: number, errors: number, p50: number, p99: number }>
  lagP50: number, lagP99: number, delivered: number, backlog: number
}

type Kind = 'read' | 'write' | 'list' | 'clock' | 'join' | 'recording'
/**
 * Share of each kind in the mix (sums to 1). Joins and leaves (each sends two webhooks) stay near
 * 50/s: one webhook's deliveries go one at a time, in order, a few hundred a second at most.
 */
const MIX: Array<[Kind, number]> = [['read', 0.50], ['write', 0.12], ['list', 0.15], ['clock', 0.03], ['join', 0.10], ['recording', 0.10]]

export async function soakBench (p: Started, rate = 480): Promise<SoakResult> {
  const seconds = QUICK ? 20 : 180
  const main = basic('bench-soak')
  const hooks = basic('bench-soak-hooks')
  const arrivals = new Map<string, number>()
  const receiver = createHttpServer((req, res) => {
    const id = req.headers['dyte-uuid']
    req.resume()
    req.on('end', () => { if (typeof id === 'string') arrivals.set(id, Date.now()); res.end('ok') })
  })
  const port = await new Promise<number>((r) => receiver.listen(0, '127.0.0.1', () => r((receiver.address() as { port: number }).port)))
  try {
    // The main org: meetings to read and record (each with a live session), the clock moved by hand.
    const meetings: string[] = []
    for (let i = 0; i < 20; i++) {
      const m = (await call(p.base, main, 'POST', '/v2/meetings', { title: `soak ${i}` })).data.id as string
      const pt = (await call(p.base, main, 'POST', `/v2/meetings/${m}/participants`, { preset_name: 'group_call_host', custom_participant_id: `host-${i}` })).data.id as string
      await call(p.base, main, 'POST', `/_mock/meetings/${m}/participants/${pt}/join`)
      meetings.push(m)
    }
    // The hooks' org: 40 meetings, one participant each, joining and leaving in turn; every event to the receiver.
    await call(p.base, hooks, 'POST', '/v2/webhooks', {
      name: 'soak', url: `http://127.0.0.1:${port}/soak`,
      events: ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft'],
    })
    const seats: Array<{ meeting: string, participant: string, busy: boolean, in?: { session_id: string, peer_id: string } }> = []
    for (let i = 0; i < 40; i++) {
      const m = (await call(p.base, hooks, 'POST', '/v2/meetings', { title: `hooks ${i}` })).data.id as string
      const pt = (await call(p.base, hooks, 'POST', `/v2/meetings/${m}/participants`, { preset_name: 'group_call_host', custom_participant_id: `p-${i}` })).data.id as string
      seats.push({ meeting: m, participant: pt, busy: false })
    }

    const latencies = new Map<Kind, number[]>(MIX.map(([k]) => [k, []]))
    const errors = new Map<Kind, number>(MIX.map(([k]) => [k, 0]))
    let n = 0
    const request = async (kind: Kind, auth: string, method: string, path: string, body?: unknown) => {
      const t0 = performance.now()
      try {
        const res = await fetch(p.base + path, {
          method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        const json = await res.json() as any
        if (!res.ok) errors.set(kind, errors.get(kind)! + 1)
        return res.ok ? json : undefined
      } catch {
        errors.set(kind, errors.get(kind)! + 1)
      } finally {
        latencies.get(kind)!.push(performance.now() - t0)
      }
    }
    const pick = <T>(xs: T[]) => xs[n % xs.length]
    const recordingOf = new Map<string, string>() // meeting → its recording under way
    const recording = new Map<string, Promise<unknown>>() // meeting → its start or stop in flight
    const send = (kind: Kind) => {
      n++
      switch (kind) {
        case 'read': return request(kind, main, 'GET', `/v2/meetings/${pick(meetings)}`)
        case 'write': return request(kind, main, 'POST', '/v2/meetings', { title: `w${n}`, record_on_start: false })
        case 'list': return request(kind, main, 'GET', '/v2/meetings?per_page=20')
        case 'clock': return request(kind, main, 'POST', '/_mock/clock/advance', { seconds: 5 })
        case 'recording': {
          // Each meeting's recording is started, then stopped by the next recording request for it.
          const m = pick(meetings)
          if (recording.has(m)) return request(kind, main, 'GET', `/v2/recordings?meeting_id=${m}`)
          const id = recordingOf.get(m)
          const done = (id
            ? request(kind, main, 'PUT', `/v2/recordings/${id}`, { action: 'stop' }).then(() => { recordingOf.delete(m) })
            : request(kind, main, 'POST', '/v2/recordings', { meeting_id: m }).then((r) => { if (r) recordingOf.set(m, r.data.id) }))
            .finally(() => recording.delete(m))
          recording.set(m, done)
          return done
        }
        case 'join': {
          const seat = seats.find((s) => !s.busy)
          if (!seat) return request(kind, hooks, 'GET', `/v2/meetings/${pick(seats).meeting}`)
          seat.busy = true
          const done = seat.in
            ? request(kind, hooks, 'POST', `/_mock/sessions/${seat.in.session_id}/peers/${seat.in.peer_id}/leave`).then(() => { seat.in = undefined })
            : request(kind, hooks, 'POST', `/_mock/meetings/${seat.meeting}/participants/${seat.participant}/join`).then((r) => { seat.in = r?.data })
          return done.finally(() => { seat.busy = false; seats.push(seats.splice(seats.indexOf(seat), 1)[0]) })
        }
      }
    }

    // Fixed-rate open loop: every 10 ms, the requests due by then; kinds drawn in proportion.
    const rss: number[] = []
    const started = performance.now()
    const pending = new Set<Promise<unknown>>()
    const every = QUICK ? 5 : 60
    let sent = 0
    let nextRss = every
    let carry = 0
    while (performance.now() - started < seconds * 1000) {
      const elapsed = (performance.now() - started) / 1000
      const due = Math.floor(elapsed * rate) - sent
      for (let i = 0; i < due; i++) {
        carry = (carry + 0.6180339887) % 1 // low-discrepancy draw: the mix holds on every stretch
        let acc = 0
        const kind = MIX.find(([, share]) => (acc += share) > carry)?.[0] ?? 'read'
        const pr = send(kind)
        pending.add(pr)
        void pr.finally(() => pending.delete(pr))
        sent++
      }
      if (elapsed >= nextRss) {
        rss.push(rssMiB(p.child.pid!))
        console.log(`soak: ${Math.round(elapsed)} s, RSS ${rss.at(-1)!.toFixed(0)} MiB, ${pending.size} requests open`)
        nextRss += every
      }
      await sleep(10)
    }
    const elapsed = (performance.now() - started) / 1000
    await Promise.all(pending)
    await sleep(1000)
    const backlog = (await call(p.base, hooks, 'GET', '/_mock/webhook-deliveries?status=pending&per_page=1')).paging.total_count as number
    rss.push(rssMiB(p.child.pid!))

    // Lag: the delivery's created_at (the event's time on the real-time clock) → its receipt.
    const lags: number[] = []
    for (let page = 1; ; page++) {
      const r = await call(p.base, hooks, 'GET', `/_mock/webhook-deliveries?per_page=1000&page_no=${page}`)
      for (const d of r.data as Array<{ id: string, created_at: string }>) {
        const at = arrivals.get(d.id)
        if (at !== undefined) lags.push(at - Date.parse(d.created_at))
      }
      if (r.data.length < 1000) break
    }
    lags.sort((a, b) => a - b)
    const kinds = Object.fromEntries(MIX.map(([k]) => {
      const xs = latencies.get(k)!.sort((a, b) => a - b)
      return [k, { n: xs.length, errors: errors.get(k)!, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) }]
    }))
    return { seconds, sent, rate: sent / elapsed, rss, kinds, lagP50: quantile(lags, 0.5), lagP99: quantile(lags, 0.99), delivered: arrivals.size, backlog }
  } finally {
    receiver.close()
  }
}
