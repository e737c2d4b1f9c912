// The control plane (/_mock, spec/mock.yaml): clock, joins and leaves, failures, events,
// settings and reset. Everything a handler changes goes through the simulator.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, notFound } from '../errors.js'
import { defaultSettings, type Settings } from '../simulate/settings.js'
import { openFile } from '../simulate/files.js'
import type { Handler } from './index.js'
import { dateTimeMs, isoParam, ok, okPaged, pageOf } from './envelope.js'
import { recordingView } from './recordings.js'
import { livestreamView } from './livestreams.js'
import { fidelityLedger } from '../fidelity.js'
import type { Delivery, DeliveryFilters } from '../store/deliveries.js'
import { enqueue, organizer, type EventType } from '../simulate/events.js'
import { samplePayload } from '../simulate/samples.js'
import { iso } from '../simulate/clock.js'
import type { Fault, FaultSpec } from '../store/faults.js'
import { resetOrg } from '../simulate/orgs.js'

type Req<B = unknown, Q = unknown, P = Record<string, string>> = FastifyRequest<{ Body: B, Querystring: Q, Params: P }>

/** Org clocks stay below the year 9000, so every time they produce is a four-digit-year date-time. */
const CLOCK_LIMIT_MS = Date.UTC(9000, 0, 1)
const clockLimit = (field: string, ms: number) => {
  if (ms >= CLOCK_LIMIT_MS) throw new ApiError(400, `${field} would put the clock at or after 9000-01-01T00:00:00Z, the latest time dyte-mock keeps`)
}

const clockView = (req: FastifyRequest) => ({
  now: req.server.dyte.now(req.orgId),
  frozen: req.server.dyte.clock.isFrozen(req.orgId),
})

function joinAs (req: FastifyRequest, meetingId: string, participantId: string) {
  const { store, sim } = req.server.dyte
  const participant = store.participants.get(req.orgId, meetingId, participantId)
  if (!participant) {
    if (!store.meetings.get(req.orgId, meetingId)) throw notFound('meeting', meetingId)
    throw notFound('participant', participantId)
  }
  const joined = sim.sessions.join(req.orgId, meetingId, participant)
  return ok({ session_id: joined.session_id, peer_id: joined.peer_id, meeting_id: meetingId, participant_id: participantId })
}

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

const faultView = (f: Fault) => ({ id: f.id, ...f.spec, remaining: f.times_left, skipping: f.skip_left, hits: f.hits, created_at: f.created_at })

function checkFault (req: FastifyRequest, spec: FaultSpec) {
  if (spec.status === undefined && spec.delay_ms === undefined && !spec.reset) {
    throw new ApiError(400, 'body must set at least one of: status, delay_ms, reset')
  }
  if (spec.status !== undefined && spec.reset) throw new ApiError(400, 'body/status and body/reset cannot both be given: a dropped connection has no status')
  if (spec.operation_id !== undefined && !req.server.dyte.faults.operationIds.has(spec.operation_id)) {
    throw new ApiError(400, `body/operation_id names no operation of the Dyte or RealtimeKit API: ${spec.operation_id}`)
  }
}

type DeliveryQuery = DeliveryFilters & { page_no?: number, per_page?: number }

function serveFile (req: Req<unknown, { expires: number, signature: string }, { orgId: string }>, reply: FastifyReply, path: string) {
  const opened = openFile(req.server.dyte, req.params.orgId, path, String(req.query.expires), req.query.signature)
  if ('refused' in opened) throw new ApiError(opened.refused, opened.message)
  reply.type(opened.type).header('content-disposition', `attachment; filename="${path.split('/').pop()}"`)
  return opened.body
}

export const mock = {
  async getClock (req: Req) {
    return ok(clockView(req))
  },

  async setClock (req: Req<{ frozen: boolean, now?: string }>) {
    const { clock, scheduler } = req.server.dyte
    if (req.body.now !== undefined) clockLimit('body/now', dateTimeMs(req.body.now))
    if (req.body.frozen) clock.freeze(req.orgId, req.body.now === undefined ? undefined : dateTimeMs(req.body.now))
    else if (req.body.now !== undefined) throw new ApiError(400, 'body/now can only be given with frozen: true')
    else clock.unfreeze(req.orgId)
    scheduler.rearm()
    return ok(clockView(req))
  },

  async advanceClock (req: Req<{ seconds: number }>) {
    const { clock, scheduler, store } = req.server.dyte
    clockLimit('body/seconds', clock.now(req.orgId) + Math.round(req.body.seconds * 1000))
    const seq = store.events.lastSeq(req.orgId)
    clock.advance(req.orgId, Math.round(req.body.seconds * 1000))
    scheduler.runDue(req.orgId, clock.now(req.orgId))
    scheduler.rearm()
    return ok({ ...clockView(req), events: store.events.after(req.orgId, seq).map(({ seq: _s, ...e }) => e) })
  },

  async joinWithToken (req: Req<{ token: string }>) {
    const { tokens, clock } = req.server.dyte
    let claims
    try {
      claims = await tokens.verify(req.body.token, clock.now(req.orgId))
    } catch (err) {
      throw new ApiError(401, `Invalid participant token: ${(err as Error).message}`)
    }
    if (claims.orgId !== req.orgId) throw new ApiError(401, 'Invalid participant token: it belongs to another organization')
    return joinAs(req, claims.meetingId, claims.participantId)
  },

  async joinParticipant (req: Req<unknown, unknown, { meetingId: string, participantId: string }>) {
    return joinAs(req, req.params.meetingId, req.params.participantId)
  },

  async leaveSession (req: Req<unknown, unknown, { sessionId: string, peerId: string }>) {
    const { sim } = req.server.dyte
    return ok(sim.sessions.view(req.orgId, sim.sessions.leave(req.orgId, req.params.sessionId, req.params.peerId)))
  },

  async endActiveSession (req: Req<unknown, unknown, { meetingId: string }>) {
    return ok(req.server.dyte.sim.sessions.endActive(req.orgId, req.params.meetingId))
  },

  async failRecording (req: Req<unknown, unknown, { recordingId: string }>) {
    const { store, sim } = req.server.dyte
    const r = store.recordings.get(req.orgId, req.params.recordingId)
    if (!r) throw notFound('recording', req.params.recordingId)
    if (r.status === 'UPLOADED' || r.status === 'ERRORED') {
      throw new ApiError(400, `Recording ${r.id} is ${r.status} and cannot fail any more`)
    }
    return ok(recordingView(sim.recordings.fail(req.orgId, r), req))
  },

  async ingestLivestream (req: Req<{ live: boolean }, unknown, { livestreamId: string }>) {
    const { store, sim } = req.server.dyte
    const l = store.livestreams.get(req.orgId, req.params.livestreamId)
    if (!l) throw notFound('livestream', req.params.livestreamId)
    return ok(livestreamView(sim.livestreams.ingest(req.orgId, l, req.body.live)))
  },

  async getFidelity (req: Req<unknown, { api?: string, state?: string }>) {
    return ok(fidelityLedger().filter((e) => (!req.query.api || e.api === req.query.api) && (!req.query.state || e.state === req.query.state)))
  },

  async listEvents (req: Req<unknown, { type?: string, meeting_id?: string, session_id?: string, since?: string, until?: string, page_no?: number, per_page?: number }>) {
    const q = req.query
    const list = req.server.dyte.store.events.list(req.orgId,
      { type: q.type, meeting_id: q.meeting_id, session_id: q.session_id, since: isoParam(q.since), until: isoParam(q.until) }, pageOf(q))
    return okPaged({ data: list.data.map(({ seq: _s, ...e }) => e), paging: list.paging })
  },

  async resetOrg (req: Req) {
    resetOrg(req.server.dyte, req.orgId)
    return { success: true, message: `Org ${req.orgId} reset` }
  },

  async listFaults (req: Req) {
    return ok(req.server.dyte.faults.list(req.orgId).map(faultView))
  },

  async createFault (req: Req<FaultSpec>, reply: FastifyReply) {
    const keys = ['method', 'path', 'operation_id', 'status', 'message', 'retry_after_s', 'delay_ms', 'reset', 'skip', 'times'] as const
    const spec = Object.fromEntries(keys.filter((k) => req.body[k] !== undefined).map((k) => [k, req.body[k]])) as unknown as FaultSpec
    checkFault(req, spec)
    reply.code(201)
    return ok(faultView(req.server.dyte.faults.create(req.orgId, spec)))
  },

  async clearFaults (req: Req) {
    req.server.dyte.faults.clear(req.orgId)
    return { success: true, message: 'All faults removed' }
  },

  async getFault (req: Req<unknown, unknown, { faultId: string }>) {
    const fault = req.server.dyte.faults.get(req.orgId, req.params.faultId)
    if (!fault) throw notFound('fault', req.params.faultId)
    return ok(faultView(fault))
  },

  async deleteFault (req: Req<unknown, unknown, { faultId: string }>) {
    const fault = req.server.dyte.faults.remove(req.orgId, req.params.faultId)
    if (!fault) throw notFound('fault', req.params.faultId)
    return ok(faultView(fault))
  },

  async getSettings (req: Req) {
    return ok(req.server.dyte.settings.get(req.orgId))
  },

  async updateSettings (req: Req<Partial<Settings>>) {
    const known = Object.keys(defaultSettings) as (keyof Settings)[]
    const patch = Object.fromEntries(known.filter((k) => req.body[k] !== undefined).map((k) => [k, req.body[k]]))
    if (Object.keys(patch).length === 0) throw new ApiError(400, `body must set at least one of: ${known.join(', ')}`)
    return ok(req.server.dyte.settings.update(req.orgId, patch))
  },

  async listWebhookDeliveries (req: Req<unknown, DeliveryQuery>) {
    const q = req.query
    const list = req.server.dyte.store.deliveries.list(req.orgId, { ...q, since: isoParam(q.since), until: isoParam(q.until) }, pageOf(q))
    return okPaged({ data: list.rows.map((d) => deliveryView(req, d)), paging: list.paging })
  },

  async waitForWebhookDelivery (req: Req<unknown, { event?: string, webhook_id?: string, meeting_id?: string, since?: string, count: number, timeout_ms: number }>) {
    const { store, deliverer } = req.server.dyte
    const q = req.query
    const filters: DeliveryFilters = { event: q.event, webhook_id: q.webhook_id, meeting_id: q.meeting_id, since: isoParam(q.since), status: 'succeeded' }
    const found = () => store.deliveries.list(req.orgId, filters, { page_no: 1, per_page: q.count }).rows
    let rows = found()
    if (rows.length < q.count) {
      rows = await new Promise<Delivery[]>((resolve) => {
        const done = (r: Delivery[]) => { clearTimeout(timer); off(); req.raw.off('close', gone); resolve(r) }
        const off = deliverer.onAttempt(() => { const r = found(); if (r.length >= q.count || deliverer.closing) done(r) })
        const timer = setTimeout(() => done(found()), q.timeout_ms)
        const gone = () => done([])
        req.raw.on('close', gone)
      })
    }
    if (rows.length < q.count && deliverer.closing) throw new ApiError(503, 'dyte-mock is shutting down')
    if (rows.length < q.count) {
      throw new ApiError(408, `${rows.length} of ${q.count} matching deliveries succeeded within ${q.timeout_ms} ms`)
    }
    return ok(rows.map((d) => deliveryView(req, d)))
  },

  async resendWebhookDelivery (req: Req<unknown, unknown, { deliveryId: string }>) {
    const { store, clock, deliverer } = req.server.dyte
    const d = store.deliveries.get(req.orgId, req.params.deliveryId)
    if (!d) throw notFound('delivery', req.params.deliveryId)
    if (d.status === 'pending') throw new ApiError(400, `Delivery ${d.id} is still pending`)
    const nowMs = clock.now(req.orgId)
    const next: Delivery = { ...d, status: 'pending', next_attempt_at_ms: nowMs, updated_at: iso(nowMs) }
    store.deliveries.update(next)
    deliverer.kick()
    return ok(deliveryView(req, next))
  },

  async testWebhook (req: Req<{ event?: EventType }, unknown, { webhookId: string }>, reply: FastifyReply) {
    const ctx = req.server.dyte
    const w = ctx.store.webhooks.get(req.orgId, req.params.webhookId)
    if (!w) throw notFound('webhook', req.params.webhookId)
    if (!w.enabled) throw new ApiError(400, `Webhook ${w.id} is disabled: enable it (PATCH /v2/webhooks/${w.id} {"enabled": true}) to send a test`)
    const type = req.body.event ?? (w.events[0] as EventType)
    if (!w.events.includes(type)) throw new ApiError(400, `Webhook ${w.id} does not subscribe to ${type} (it has: ${w.events.join(', ')})`)
    const atMs = ctx.clock.now(req.orgId)
    const body = JSON.stringify(samplePayload(organizer(ctx, req.orgId), type, iso(atMs), () => ctx.newId(req.orgId)))
    const d = ctx.store.tx(() => enqueue(ctx, req.orgId, w, type, body, atMs, null, null))
    reply.code(201)
    return ok(deliveryView(req, d))
  },

  async receiveInInbox (req: Req<unknown, unknown, { name: string }>) {
    const { store, now } = req.server.dyte
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]))
    const body = (req as { rawBody?: string }).rawBody ?? ''
    // A delivery of this server names itself (dyte-uuid, dyte-webhook-id): it is its org's entry,
    // stamped on that org's clock. Anything else is nobody's, stamped with wall time.
    const orgId = headers['dyte-uuid'] && headers['dyte-webhook-id'] ? store.deliveries.orgOf(headers['dyte-uuid'], headers['dyte-webhook-id']) : undefined
    store.inbox.add(orgId ?? null, req.params.name, { received_at: orgId ? now(orgId) : new Date().toISOString(), headers, body })
    return { success: true }
  },

  async listInbox (req: Req<unknown, unknown, { name: string }>) {
    return ok(req.server.dyte.store.inbox.list(req.orgId || null, req.params.name))
  },

  async clearInbox (req: Req<unknown, unknown, { name: string }>) {
    req.server.dyte.store.inbox.clear(req.orgId || null, req.params.name)
    return { success: true }
  },

  async getWebhookPublicKey (req: Req) {
    return { success: true, data: { publicKey: (await req.server.dyte.keys.load('webhook')).publicPem }, message: '' }
  },

  async downloadRecordingFile (req: Req<unknown, { expires: number, signature: string }, { orgId: string, file: string }>, reply: FastifyReply) {
    return serveFile(req, reply, `recordings/${req.params.file}`)
  },

  async downloadSessionFile (req: Req<unknown, { expires: number, signature: string }, { orgId: string, sessionId: string, file: string }>, reply: FastifyReply) {
    return serveFile(req, reply, `sessions/${req.params.sessionId}/${req.params.file}`)
  },
} satisfies Record<string, Handler>
