import type { FastifyRequest } from 'fastify'
import { found } from '../errors.js'
import type { Webhook } from '../store/webhooks.js'
import type { ApiHandlers } from './types.js'
import { ok, okMessage } from './envelope.js'

export const webhookEvents = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft',
  'meeting.chatSynced', 'recording.statusUpdate', 'livestreaming.statusUpdate', 'meeting.transcript', 'meeting.summary']

const webhookOf = (req: FastifyRequest, webhookId: string): Webhook => found(req.server.dyte.store.webhooks.get(req.orgId, webhookId), 'webhook', webhookId)

export const webhooks = {
  async listWebhooks (req) {
    return ok(req.server.dyte.store.webhooks.list(req.orgId))
  },

  async createWebhook (req, reply) {
    const { store, now, newId } = req.server.dyte
    const at = now(req.orgId)
    const b = req.body
    reply.code(201)
    return ok(store.webhooks.insert(req.orgId, {
      id: newId(req.orgId), name: b.name, url: b.url, events: b.events, enabled: b.enabled ?? true, created_at: at, updated_at: at,
    }))
  },

  async getWebhook (req) {
    return ok(webhookOf(req, req.params.webhookId))
  },

  async updateWebhook (req) {
    const current = webhookOf(req, req.params.webhookId)
    const changes = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => v !== undefined))
    return ok(req.server.dyte.store.webhooks.update(req.orgId, { ...current, ...changes, updated_at: req.server.dyte.now(req.orgId) }))
  },

  async replaceWebhook (req) {
    const current = webhookOf(req, req.params.webhookId)
    const b = req.body
    return ok(req.server.dyte.store.webhooks.update(req.orgId, {
      ...current, name: b.name, url: b.url, events: b.events, enabled: b.enabled ?? true, updated_at: req.server.dyte.now(req.orgId),
    }))
  },

  async deleteWebhook (req) {
    const w = webhookOf(req, req.params.webhookId)
    req.server.dyte.store.webhooks.remove(req.orgId, w.id)
    return okMessage('Webhook deleted', w)
  },
} satisfies Partial<ApiHandlers>

/** RealtimeKit-only: GET /webhooks/all, the event names a webhook can subscribe to. */
export const webhooksRealtimeKit = {
  async listWebhookEvents () {
    return ok(webhookEvents)
  },
} satisfies Partial<ApiHandlers>
