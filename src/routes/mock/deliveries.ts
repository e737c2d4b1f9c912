// Events and webhook deliveries as a test sees them: the events the real API would send, the
// delivery log with every attempt, a long-poll until deliveries succeeded, resends, sample
// sends, the public key that verifies signatures, and the built-in receiver (the inbox).
import type { FastifyRequest } from 'fastify'
import type { Delivery } from '../../store/deliveries.js'
import { iso } from '../../simulate/clock.js'
import type { MockHandlers } from '../types.js'
import { isoParam, ok, okPaged, pageOf } from '../envelope.js'

function deliveryView (req: FastifyRequest, d: Delivery) {
  return {
    id: d.id,
    webhook_id: d.webhook_id,
    event: d.event_type,
    event_id: d.event_id,
    meeting_id: d.meeting_id,
    url: d.url,
    status: d.status,
    next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at_ms) : null,
    created_at: d.created_at,
    updated_at: d.updated_at,
    payload: JSON.parse(d.body),
    attempts: req.server.dyte.store.deliveries.attempts(d.id),
  }
}

export const deliveries = {
  async listEvents (req) {
    const q = req.query
    const list = req.server.dyte.store.events.list(req.orgId,
      { type: q.type, meeting_id: q.meeting_id, session_id: q.session_id, since: isoParam(q.since), until: isoParam(q.until) }, pageOf(q))
    return okPaged({ data: list.data.map(({ seq: _s, ...e }) => e), paging: list.paging })
  },

  async listWebhookDeliveries (req) {
    const q = req.query
    const list = req.server.dyte.store.deliveries.list(req.orgId, { ...q, since: isoParam(q.since), until: isoParam(q.until) }, pageOf(q))
    return okPaged({ data: list.rows.map((d) => deliveryView(req, d)), paging: list.paging })
  },

  /** Waits while the client is connected. */
  async waitForWebhookDelivery (req) {
    const q = req.query
    // count and timeout_ms have defaults, filled in by validation.
    const gone = new AbortController()
    const abort = () => gone.abort()
    req.raw.on('close', abort)
    try {
      const rows = await req.server.dyte.sim.deliveries.waitFor(req.orgId,
        { event: q.event, webhook_id: q.webhook_id, meeting_id: q.meeting_id, since: isoParam(q.since) }, q.count!, q.timeout_ms!, gone.signal)
      return ok(rows.map((d) => deliveryView(req, d)))
    } finally {
      req.raw.off('close', abort)
    }
  },

  async resendWebhookDelivery (req) {
    return ok(deliveryView(req, req.server.dyte.sim.deliveries.resend(req.orgId, req.params.deliveryId)))
  },

  async testWebhook (req, reply) {
    const d = req.server.dyte.sim.deliveries.sendTest(req.orgId, req.params.webhookId, req.body.event)
    reply.code(201)
    return ok(deliveryView(req, d))
  },

  async getWebhookPublicKey (req) {
    return { success: true, data: { publicKey: (await req.server.dyte.keys.load('webhook')).publicPem }, message: '' }
  },

  async receiveInInbox (req) {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]))
    req.server.dyte.sim.deliveries.receive(req.params.name, headers, req.rawBody ?? '')
    return { success: true }
  },

  // Read with an org's credentials, an org's own entries; without, everything (req.orgId is '').
  async listInbox (req) {
    return ok(req.server.dyte.store.inbox.list(req.orgId || null, req.params.name))
  },

  async clearInbox (req) {
    req.server.dyte.store.inbox.clear(req.orgId || null, req.params.name)
    return { success: true }
  },
} satisfies Partial<MockHandlers>
