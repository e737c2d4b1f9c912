// What the control plane does with webhook deliveries (/_mock/webhook-deliveries, /_mock/webhooks,
// /_mock/inbox): wait until deliveries succeeded, send one again, send a sample event, and take
// in what arrives at the built-in receiver. The deliverer (deliver.ts) does the sending.
import { badRequest, found, shuttingDown, timedOut } from '../errors.js'
import type { Delivery, DeliveryFilters } from '../store/deliveries.js'
import { iso, type OrgClocks } from './clock.js'
import type { Deliverer } from './deliver.js'
import { enqueue, organizer, webhookFormat, type EmitDeps, type EventType } from './events.js'
import { samplePayload } from './samples.js'

export interface DeliveriesDeps extends EmitDeps {
  clock: OrgClocks
  deliverer: Pick<Deliverer, 'kick' | 'onAttempt' | 'closing'>
}

export function createDeliveries (ctx: DeliveriesDeps) {
  const { store, clock, deliverer } = ctx
  return {
    /**
     * The first `count` succeeded deliveries matching `filters`, waiting (at most timeoutMs) for
     * attempts under way: a 408 when fewer succeeded in time, a 503 when the server closes first.
     * An aborted wait (the client went away) ends at once.
     */
    async waitFor (orgId: string, filters: Omit<DeliveryFilters, 'status'>, count: number, timeoutMs: number, aborted: AbortSignal) {
      const succeeded = () => store.deliveries.list(orgId, { ...filters, status: 'succeeded' }, { page_no: 1, per_page: count }).rows
      let rows = succeeded()
      if (rows.length < count) {
        rows = await new Promise<Delivery[]>((resolve) => {
          const done = (r: Delivery[]) => { clearTimeout(timer); off(); aborted.removeEventListener('abort', gone); resolve(r) }
          const off = deliverer.onAttempt(() => { const r = succeeded(); if (r.length >= count || deliverer.closing) done(r) })
          const timer = setTimeout(() => done(succeeded()), timeoutMs)
          const gone = () => done([])
          aborted.addEventListener('abort', gone)
        })
      }
      if (rows.length < count && deliverer.closing) throw shuttingDown()
      if (rows.length < count) throw timedOut(`${rows.length} of ${count} matching deliveries succeeded within ${timeoutMs} ms`)
      return rows
    },

    /** Sends a finished delivery again, now (with the same dyte-uuid). */
    resend (orgId: string, deliveryId: string) {
      const d = found(store.deliveries.get(orgId, deliveryId), 'delivery', deliveryId)
      if (d.status === 'pending') throw badRequest(`Delivery ${d.id} is still pending`)
      const nowMs = clock.now(orgId)
      const next: Delivery = { ...d, status: 'pending', next_attempt_at_ms: nowMs, updated_at: iso(nowMs) }
      store.deliveries.update(next)
      deliverer.kick()
      return next
    },

    /** Sends a sample of an event the webhook subscribes to (its first one by default). */
    sendTest (orgId: string, webhookId: string, event: EventType | undefined) {
      const w = found(store.webhooks.get(orgId, webhookId), 'webhook', webhookId)
      if (!w.enabled) throw badRequest(`Webhook ${w.id} is disabled: enable it (PATCH /v2/webhooks/${w.id} {"enabled": true}) to send a test`)
      const type = event ?? (w.events[0] as EventType)
      if (!w.events.includes(type)) throw badRequest(`Webhook ${w.id} does not subscribe to ${type} (it has: ${w.events.join(', ')})`)
      const atMs = clock.now(orgId)
      const body = JSON.stringify(samplePayload(organizer(ctx, orgId), type, iso(atMs), () => ctx.newId(orgId), webhookFormat(store, orgId)))
      return store.tx(() => enqueue(ctx, orgId, w, type, body, atMs, null, null))
    },

    /**
     * The built-in receiver got a POST. A delivery of this server names itself (dyte-uuid,
     * dyte-webhook-id): it is its org's entry, stamped on that org's clock. Anything else is
     * nobody's, stamped with wall time.
     */
    receive (name: string, headers: Record<string, string>, body: string) {
      const orgId = headers['dyte-uuid'] && headers['dyte-webhook-id'] ? store.deliveries.orgOf(headers['dyte-uuid'], headers['dyte-webhook-id']) : undefined
      store.inbox.add(orgId ?? null, name, { received_at: iso(orgId ? clock.now(orgId) : clock.wall()), headers, body })
    },
  }
}
