// Webhook delivery from the outbox (the deliveries table), as Dyte delivers: a POST of the
// exact payload bytes, signed with RSA-SHA256 (dyte-signature), with dyte-uuid (the same on
// every retry) and dyte-webhook-id. Non-2xx answers, connection errors and answers slower than
// the timeout are retried on the org's clock; a RealtimeKit app's delivery, as Cloudflare
// documents, also carries the rtk-* headers and is retried only after a 5xx, a connection error
// or a timeout: any other answer below 500 fails it at once. Deliveries of one webhook go out in
// event order.
// Every attempt goes to the webhook's url at that moment (a PATCH moves retries and resends);
// a pending delivery of a webhook that was disabled or deleted fails without being sent.
// Nothing lives only in memory: a pending delivery is a row, so a restart delivers it.
// A reset of the org aborts its attempts under way, and their results are never recorded: the
// rows they were made for are gone (with --seed, new rows even get the same ids).
import { sign } from 'node:crypto'
import type { Store } from '../store/index.js'
import type { Delivery } from '../store/deliveries.js'
import type { Keys } from '../keys.js'
import { iso, type OrgClocks } from './clock.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'
import type { Send } from './send.js'
import { webhookFormat } from './events.js'

const EXCERPT_BYTES = 512
/** How long the body of an answer is read for its excerpt once the status has arrived. */
const EXCERPT_WAIT_MS = 250

export interface DelivererOptions { userAgent: string, onError: (err: unknown) => void, send?: Send }
export interface DelivererDeps { store: Store, clock: OrgClocks, now: (orgId: string) => string, settings: SettingsStore, keys: Keys, scheduler: Scheduler }

export function createDeliverer (ctx: DelivererDeps, opts: DelivererOptions) {
  const { store } = ctx
  const inFlight = new Map<string, { org_id: string, abort: AbortController }>() // org and webhook id → its attempt under way
  const generations = new Map<string, number>() // org id → how many times it was reset (in this process)
  const generation = (orgId: string) => generations.get(orgId) ?? 0
  const key = (d: Delivery) => `${d.org_id}\u0000${d.webhook_id}`
  const listeners = new Set<(d: Delivery | undefined, ok: boolean) => void>()
  const running = new Set<Promise<void>>() // every attempt until it has ended, aborted ones included
  let queued = false
  let closed = false

  /** Looks for due deliveries soon (after the current transaction has committed). */
  const kick = () => {
    if (queued || closed) return
    queued = true
    setImmediate(pump)
  }

  function pump () {
    queued = false
    if (closed) return
    try {
      for (const d of store.deliveries.heads()) {
        const k = key(d)
        if (inFlight.has(k) || d.next_attempt_at_ms > ctx.clock.now(d.org_id)) continue
        const entry = { org_id: d.org_id, abort: new AbortController() }
        inFlight.set(k, entry)
        const run = attempt(d, entry.abort.signal, generation(d.org_id))
          .catch(opts.onError)
          .finally(() => {
            if (inFlight.get(k) === entry) inFlight.delete(k)
            kick()
          })
        running.add(run)
        void run.then(() => running.delete(run))
      }
    } catch (err) {
      if (!closed) opts.onError(err)
    }
  }

  async function attempt (d: Delivery, closing: AbortSignal, startedIn: number) {
    const settings = ctx.settings.get(d.org_id)
    const webhook = store.webhooks.get(d.org_id, d.webhook_id)
    const signature = d.signature ?? sign('RSA-SHA256', Buffer.from(d.body), (await ctx.keys.load('webhook')).privateKey).toString('base64')
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
      try {
        url = webhook.url
        const res = await (opts.send ?? fetch)(url, {
          method: 'POST',
          body: d.body,
          redirect: 'manual',
          signal: AbortSignal.any([closing, AbortSignal.timeout(settings.webhook_timeout_ms)]),
          headers: {
            'content-type': 'application/json',
            'user-agent': opts.userAgent,
            'dyte-signature': signature,
            'dyte-uuid': d.id,
            'dyte-webhook-id': d.webhook_id,
            // RealtimeKit apps also get its header names (some receivers read either).
            ...(app ? { 'rtk-signature': signature, 'rtk-uuid': d.id, 'rtk-webhook-id': d.webhook_id } : {}),
          },
        })
        // The answer counts once its status arrives: its body is read only for the excerpt.
        statusCode = res.status
        latency = Math.round(performance.now() - started)
        excerpt = await readExcerpt(res)
      } catch (err) {
        error = describe(err, settings.webhook_timeout_ms)
      }
    }
    if (closed) return // the server is closing: the delivery stays pending and goes out after a restart
    if (generation(d.org_id) !== startedIn) return // the org was reset meanwhile: this delivery no longer exists
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300
    const n = d.attempts + 1
    const retries = settings.webhook_retry_schedule_s
    // Cloudflare does not retry an answer below 500 (a redirect, a 4xx); Dyte retries any non-2xx.
    const refused = app && statusCode !== null && statusCode < 500
    const giveUp = !webhook || !webhook.enabled || refused || n > retries.length
    store.tx(() => {
      store.deliveries.addAttempt(d.org_id, d.id, { n, at, status_code: statusCode, latency_ms: latency ?? Math.round(performance.now() - started), error, response_excerpt: excerpt })
      const nowMs = ctx.clock.now(d.org_id)
      const next = ok || giveUp ? nowMs : nowMs + retries[n - 1] * 1000
      store.deliveries.update({ ...d, url, signature, attempts: n, status: ok ? 'succeeded' : giveUp ? 'failed' : 'pending', next_attempt_at_ms: next, updated_at: iso(nowMs) })
      if (!ok && !giveUp) ctx.scheduler.schedule(d.org_id, next, 'delivery.retry', d.id)
    })
    for (const l of listeners) l(d, ok)
  }

  ctx.scheduler.on('delivery.retry', () => kick())

  return {
    kick,
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
        inFlight.delete(k)
      }
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
      for (const l of listeners) l(undefined, false)
    },
  }
}

/**
 * Up to EXCERPT_BYTES of the answer's body, read for at most EXCERPT_WAIT_MS: a body that stalls,
 * never ends or breaks off gives what arrived, never an error.
 */
async function readExcerpt (res: Response) {
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
 * What went wrong, as a receiver's developer needs it: fetch's own "fetch failed" says nothing,
 * so its cause is shown ("connect ECONNREFUSED 127.0.0.1:8080", "fetch failed: bad port").
 */
function describe (err: unknown, timeoutMs: number) {
  const e = err as Error & { cause?: Cause }
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  const c = e.cause
  if (!c) return e.message
  // One error per address tried (localhost on both ::1 and 127.0.0.1), or one.
  const causes = c.errors?.length ? c.errors : [c]
  const text = [...new Set(causes.map((x) => {
    const m = x.message ?? ''
    return x.code && !m.includes(x.code) ? `${x.code}: ${m}` : m
  }).filter(Boolean))].join('; ')
  if (!text) return c.code ?? e.message
  return c.code ? text : `${e.message}: ${text}`
}

export type Deliverer = ReturnType<typeof createDeliverer>
