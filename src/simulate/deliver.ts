// Webhook delivery from the outbox (the deliveries table), as Dyte delivers: a POST of the
// exact payload bytes, signed with RSA-SHA256 (dyte-signature), with dyte-uuid (the same on
// every retry) and dyte-webhook-id. Non-2xx answers, connection errors and answers slower than
// the timeout are retried on the org's clock; a RealtimeKit app's delivery, as Cloudflare
// documents, also carries the rtk-* headers and is retried only after a 5xx, a connection error
// or a timeout: any other answer below 500 fails it at once. Deliveries of one webhook go out in
// event order, one at a time. A webhook that is behind (deliveries waiting for longer than
// BEHIND_MS of wall time, at least BACKLOG of them) and whose receiver answers 2xx gets up to
// DELIVERY_WINDOW under way at once, sent oldest first and pipelined over one keep-alive
// connection (send.ts), so its receiver reads them in event order. After a failed attempt it is
// back to one at a time, the retry first, until one succeeds.
// Every attempt goes to the webhook's url at that moment (a PATCH moves retries and resends);
// a pending delivery of a webhook that was disabled or deleted fails without being sent.
// Nothing lives only in memory: a pending delivery is a row, so a restart delivers it.
// A reset of the org aborts its attempts under way, and their results are never recorded: the
// rows they were made for are gone (with --seed, new rows even get the same ids).
import type { Store } from '../store/index.js'
import type { Delivery } from '../store/deliveries.js'
import type { Keys } from '../keys.js'
import { iso, type OrgClocks } from './clock.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'
import { createSender, type Answer, type Send } from './send.js'
import { webhookFormat } from './events.js'
import { createSignatures } from './signatures.js'

const EXCERPT_BYTES = 512
/** How long the body of an answer is read for its excerpt once the status has arrived. */
const EXCERPT_WAIT_MS = 250

export interface DelivererOptions { userAgent: string, onError: (err: unknown) => void, send?: Send }
export interface DelivererDeps { store: Store, clock: OrgClocks, now: (orgId: string) => string, settings: SettingsStore, keys: Keys, scheduler: Scheduler }

/** Attempts of one webhook under way at once when it is behind and its receiver answers 2xx. */
export const DELIVERY_WINDOW = 64
/** How long (wall time: the server's wall option, or the system clock) a webhook has had deliveries waiting before it counts as behind. */
export const BEHIND_MS = 500
/** How many pending deliveries a webhook that is behind has at least. */
export const BACKLOG = 32

export function createDeliverer (ctx: DelivererDeps, opts: DelivererOptions) {
  const { store } = ctx
  const signature = createSignatures(ctx.keys)
  // Without a stand-in, one pipelined connection per webhook and receiver origin.
  const sender = opts.send ? undefined : createSender({ pipelining: DELIVERY_WINDOW })
  const send = opts.send ?? sender!.send
  type Entry = { org_id: string, hook: string, abort: AbortController }
  const inFlight = new Map<string, Entry>() // org and delivery id → its attempt under way
  const underWay = new Map<string, number>() // org and webhook id → how many of its attempts are under way
  const healthy = new Set<string>() // org and webhook ids whose last attempt was answered 2xx
  const lastSent = new Map<string, Promise<void>>() // org and webhook id → resolves once its latest attempt has been sent
  const waitingSince = new Map<string, number>() // org and webhook id → since when (wall time) it has had pending deliveries
  const generations = new Map<string, number>() // org id → how many times it was reset (in this process)
  const generation = (orgId: string) => generations.get(orgId) ?? 0
  const hookKey = (d: Delivery) => `${d.org_id}\u0000${d.webhook_id}`
  const deliveryKey = (d: Delivery) => `${d.org_id}\u0000${d.id}`
  const listeners = new Set<(d: Delivery | undefined, ok: boolean) => void>()
  const running = new Set<Promise<void>>() // every attempt until it has ended, aborted ones included
  let queued = false
  let closed = false

  /**
   * Looks for due deliveries soon, once the turn's writes have committed (see store/commits.ts):
   * a receiver never hears of an event that a failed commit undid.
   */
  const kick = () => {
    if (queued || closed) return
    queued = true
    setImmediate(() => store.commits.afterCommit(pump))
  }

  const finished = (k: string, entry: Entry) => {
    if (inFlight.get(k) !== entry) return
    inFlight.delete(k)
    const n = (underWay.get(entry.hook) ?? 1) - 1
    if (n > 0) underWay.set(entry.hook, n)
    else underWay.delete(entry.hook)
  }

  function start (d: Delivery, hook: string) {
    const k = deliveryKey(d)
    const entry = { org_id: d.org_id, hook, abort: new AbortController() }
    inFlight.set(k, entry)
    underWay.set(hook, (underWay.get(hook) ?? 0) + 1)
    // Sent in the order started, whichever signature is ready first.
    const before = lastSent.get(hook)
    let sent!: () => void
    const mine = new Promise<void>((resolve) => { sent = resolve })
    lastSent.set(hook, mine)
    void mine.then(() => { if (lastSent.get(hook) === mine) lastSent.delete(hook) })
    const run = attempt(d, hook, entry.abort, generation(d.org_id), before, sent)
      .catch(opts.onError)
      .finally(() => {
        sent()
        finished(k, entry)
        kick()
      })
    running.add(run)
    void run.then(() => running.delete(run))
  }

  function pump () {
    queued = false
    if (closed) return
    try {
      const now = ctx.clock.wall()
      const seen = new Set<string>()
      for (const head of store.deliveries.heads()) {
        const hook = hookKey(head)
        seen.add(hook)
        const since = waitingSince.get(hook) ?? now
        waitingSince.set(hook, since)
        const busy = underWay.get(hook) ?? 0
        if (busy > 0 && head.attempts > 0) continue // a retry goes alone
        let next = [head]
        if (healthy.has(hook) && head.attempts === 0 && now - since > BEHIND_MS) {
          const pending = store.deliveries.pendingOf(head.webhook_id, Math.max(BACKLOG, busy + DELIVERY_WINDOW))
          if (pending.length >= BACKLOG) next = pending
        }
        const room = (next.length > 1 ? DELIVERY_WINDOW : 1) - busy
        if (room <= 0) continue
        // Oldest first; none passes a delivery that waits for its retry.
        let started = 0
        for (const d of next) {
          if (started === room) break
          if (d.org_id !== head.org_id || inFlight.has(deliveryKey(d))) continue
          if (d.next_attempt_at_ms > ctx.clock.now(d.org_id)) break
          start(d, hook)
          started++
        }
      }
      for (const hook of waitingSince.keys()) if (!seen.has(hook)) waitingSince.delete(hook)
    } catch (err) {
      if (!closed) opts.onError(err)
    }
  }

  async function attempt (d: Delivery, hook: string, abort: AbortController, startedIn: number, before: Promise<void> | undefined, sent: () => void) {
    const settings = ctx.settings.get(d.org_id)
    const webhook = store.webhooks.get(d.org_id, d.webhook_id)
    const signed = d.signature ?? await signature(d.body)
    await before
    const at = ctx.now(d.org_id)
    const app = webhookFormat(store, d.org_id) === 'cloudflare'
    const started = performance.now()
    let statusCode: number | null = null
    let error: string | null = null
    let excerpt: string | null = null
    let url = d.url
    let latency: number | null = null
    if (!webhook || !webhook.enabled) {
      error = webhook ? 'webhook is disabled' : 'webhook was deleted'
    } else {
      // One timer per attempt, cleared when it ends (closing and resets abort the same controller).
      const timeout = setTimeout(() => abort.abort(new DOMException(`no answer within ${settings.webhook_timeout_ms} ms`, 'TimeoutError')), settings.webhook_timeout_ms)
      try {
        url = webhook.url
        const answer = send(url, {
          method: 'POST',
          body: d.body,
          redirect: 'manual',
          signal: abort.signal,
          headers: {
            'content-type': 'application/json',
            'user-agent': opts.userAgent,
            'dyte-signature': signed,
            'dyte-uuid': d.id,
            'dyte-webhook-id': d.webhook_id,
            // RealtimeKit apps also get its header names (some receivers read either).
            ...(app ? { 'rtk-signature': signed, 'rtk-uuid': d.id, 'rtk-webhook-id': d.webhook_id } : {}),
          },
        })
        sent()
        const res = await answer
        // The answer counts once its status arrives: its body is read only for the excerpt.
        statusCode = res.status
        latency = Math.round(performance.now() - started)
        excerpt = await readExcerpt(res)
      } catch (err) {
        error = describe(err, settings.webhook_timeout_ms)
      } finally {
        clearTimeout(timeout)
      }
    }
    if (closed) return // the server is closing: the delivery stays pending and goes out after a restart
    if (generation(d.org_id) !== startedIn) return // the org was reset meanwhile: this delivery no longer exists
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300
    if (ok) healthy.add(hook)
    else healthy.delete(hook)
    const n = d.attempts + 1
    const retries = settings.webhook_retry_schedule_s
    // Cloudflare does not retry an answer below 500 (a redirect, a 4xx); Dyte retries any non-2xx.
    const refused = app && statusCode !== null && statusCode < 500
    const giveUp = !webhook || !webhook.enabled || refused || n > retries.length
    store.tx(() => {
      store.deliveries.addAttempt(d.org_id, d.id, { n, at, status_code: statusCode, latency_ms: latency ?? Math.round(performance.now() - started), error, response_excerpt: excerpt })
      const nowMs = ctx.clock.now(d.org_id)
      const next = ok || giveUp ? nowMs : nowMs + retries[n - 1] * 1000
      store.deliveries.update({ ...d, url, signature: signed, attempts: n, status: ok ? 'succeeded' : giveUp ? 'failed' : 'pending', next_attempt_at_ms: next, updated_at: iso(nowMs) })
      if (!ok && !giveUp) ctx.scheduler.schedule(d.org_id, next, 'delivery.retry', d.id)
    })
    for (const l of listeners) l(d, ok)
  }

  ctx.scheduler.on('delivery.retry', () => kick())

  return {
    kick,
    /** Starts signing a body about to be queued (off the event loop), so its deliveries need not wait for it. */
    presign (body: string) { signature(body).catch(() => {}) },
    /**
     * Called after every finished attempt, with the delivery and whether it was accepted (2xx), and
     * once at close without one. Returns the unsubscribe function.
     */
    onAttempt (l: (d: Delivery | undefined, ok: boolean) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    /**
     * The org was reset: its attempts under way are aborted and their results discarded, and its
     * new deliveries do not wait for them.
     */
    forgetOrg (orgId: string) {
      generations.set(orgId, generation(orgId) + 1)
      for (const [k, entry] of inFlight) {
        if (entry.org_id !== orgId) continue
        entry.abort.abort()
        finished(k, entry)
      }
      for (const hook of healthy) if (hook.startsWith(`${orgId}\u0000`)) healthy.delete(hook)
      kick()
    },
    /**
     * Resolves once no delivery is due and no attempt is under way (aborted ones included), every
     * result recorded: after it, a test sees everything that was going to be sent by now.
     */
    async settled () {
      while (!closed) {
        if (queued) await new Promise((resolve) => setImmediate(resolve))
        else if (running.size) await Promise.all(running)
        else if (store.deliveries.heads().some((d) => d.next_attempt_at_ms <= ctx.clock.now(d.org_id))) kick()
        else return
      }
    },
    /** True once the server is closing: long-polls answer at once instead of waiting on. */
    get closing () { return closed },
    async close () {
      closed = true
      for (const { abort } of inFlight.values()) abort.abort()
      await sender?.close()
      for (const l of listeners) l(undefined, false)
    },
  }
}

/**
 * Up to EXCERPT_BYTES of the answer's body, read for at most EXCERPT_WAIT_MS: a body that stalls,
 * never ends or breaks off gives what arrived, never an error.
 */
async function readExcerpt (res: Answer) {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), EXCERPT_WAIT_MS) })
  try {
    while (size < EXCERPT_BYTES) {
      const chunk = await Promise.race([reader.read(), late])
      if (chunk === null || chunk.done) break
      chunks.push(chunk.value)
      size += chunk.value.length
    }
  } catch {
    // the body broke off (or the attempt's timeout fired): keep what arrived
  } finally {
    clearTimeout(timer)
    reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')
}

type Cause = { code?: string, message?: string, errors?: Cause[] }

/**
 * What went wrong, as a receiver's developer needs it: the connection's error, or the cause of a
 * wrapping one such as fetch's "fetch failed" ("connect ECONNREFUSED 127.0.0.1:8080", "fetch failed: bad port").
 */
function describe (err: unknown, timeoutMs: number) {
  const e = err as Error & Cause & { cause?: Cause }
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  // fetch's errors carry the cause; a connection's own errors are the cause.
  const c: Cause = e.cause ?? e
  const prefix = e.cause ? e.message : ''
  // One error per address tried (localhost on both ::1 and 127.0.0.1), or one.
  const causes = c.errors?.length ? c.errors : [c]
  const text = [...new Set(causes.map((x) => {
    const m = x.message ?? ''
    return x.code && !m.includes(x.code) ? `${x.code}: ${m}` : m
  }).filter(Boolean))].join('; ')
  if (!text) return c.code ?? e.message
  return c.code || !prefix ? text : `${prefix}: ${text}`
}

export type Deliverer = ReturnType<typeof createDeliverer>
