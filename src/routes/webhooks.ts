import type { FastifyReply, FastifyRequest } from 'fastify'
import { notFound } from '../errors.js'
import type { Schemas } from '../types.js'
import type { Webhook } from '../store/webhooks.js'
import type { Handler } from './index.js'
import { ok, okMessage } from './envelope.js'

export const webhookEvents = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft',
  'meeting.chatSynced', 'recording.statusUpdate', 'livestreaming.statusUpdate', 'meeting.transcript', 'meeting.summary']

type Req<B = unknown> = FastifyRequest<{ Params: { webhookId: string }, Body: B }>

function requireWebhook (req: Req): Webhook {
  const w = req.server.dyte.store.webhooks.get(req.orgId, req.params.webhookId)
  if (!w) throw notFound('webhook', req.params.webhookId)
  return w
}

export const webhooks = {
  async listWebhooks (req: Req) {
    return ok(req.server.dyte.store.webhooks.list(req.orgId))
  },

  async createWebhook (req: Req<Schemas['CreateWebhookRequest']>, reply: FastifyReply) {
    const { store, now, newId } = req.server.dyte
    const at = now(req.orgId)
    const b = req.body
    reply.code(201)
    return ok(store.webhooks.insert(req.orgId, {
      id: newId(req.orgId), name: b.name, url: b.url, events: b.events, enabled: b.enabled ?? true, created_at: at, updated_at: at,
    }))
  },

  async getWebhook (req: Req) {
    return ok(requireWebhook(req))
  },

  async updateWebhook (req: Req<Schemas['PatchWebhookRequest']>) {
    const current = requireWebhook(req)
    const changes = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => v !== undefined))
    return ok(req.server.dyte.store.webhooks.update(req.orgId, { ...current, ...changes, updated_at: req.server.dyte.now(req.orgId) }))
  },

  async replaceWebhook (req: Req<Schemas['CreateWebhookRequest']>) {
    const current = requireWebhook(req)
    const b = req.body
    return ok(req.server.dyte.store.webhooks.update(req.orgId, {
      ...current, name: b.name, url: b.url, events: b.events, enabled: b.enabled ?? true, updated_at: req.server.dyte.now(req.orgId),
    }))
  },

  async deleteWebhook (req: Req) {
    const w = requireWebhook(req)
    req.server.dyte.store.webhooks.remove(req.orgId, w.id)
    return okMessage('Webhook deleted', w)
  },
} satisfies Record<string, Handler>

/** RealtimeKit-only: GET /webhooks/all, the event names a webhook can subscribe to. */
export const webhooksRealtimeKit = {
  async listWebhookEvents () {
    return ok(webhookEvents)
  },
} satisfies Record<string, Handler>
