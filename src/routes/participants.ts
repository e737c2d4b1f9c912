import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, notFound } from '../errors.js'
import type { Schemas } from '../types.js'
import type { Participant } from '../store/participants.js'
import { presetId } from '../tokens.js'
import type { Handler } from './index.js'
import { requireMeeting } from './meetings.js'
import { ok, okMessage, okPaged, pageOf } from './envelope.js'

type Params = { meetingId: string, participantId: string }
type Req<B = unknown, Q = unknown> = FastifyRequest<{ Params: Params, Body: B, Querystring: Q }>

function requireParticipant (req: Req): Participant {
  requireMeeting(req, req.params.meetingId)
  const p = req.server.dyte.store.participants.get(req.orgId, req.params.meetingId, req.params.participantId)
  if (!p) throw notFound('participant', req.params.participantId)
  return p
}

/** The id of the org's preset with this name: a 400 naming the org's presets when there is none. */
function presetIdOf (req: FastifyRequest, name: string) {
  const p = req.server.dyte.store.presets.byName(req.orgId, name)
  if (!p) {
    const names = req.server.dyte.store.presets.list(req.orgId, undefined, { page_no: 1, per_page: 50 }).data.map((x) => x.name)
    throw new ApiError(400, `body/preset_name '${name}' is not a preset of this organization (presets: ${names.join(', ')})`)
  }
  return p.id
}

function tokenFor (req: FastifyRequest, p: Participant) {
  const { tokens, clock } = req.server.dyte
  return tokens.sign({ orgId: req.orgId, meetingId: p.meeting_id, participantId: p.id, presetId: presetIdOf(req, p.preset_name) }, clock.now(req.orgId))
}

const view = ({ meeting_id: _m, ...p }: Participant) => p

// Not emulated: custom_participant_id is not required to be unique.
export const participants = {
  async listParticipants (req: Req<unknown, { page_no?: number, per_page?: number }>) {
    requireMeeting(req, req.params.meetingId)
    const list = req.server.dyte.store.participants.list(req.orgId, req.params.meetingId, pageOf(req.query))
    return okPaged({ data: list.data.map(view), paging: list.paging })
  },

  async addParticipant (req: Req<Schemas['AddParticipantRequest']>, reply: FastifyReply) {
    const { store, now, newId } = req.server.dyte
    requireMeeting(req, req.params.meetingId)
    const b = req.body
    const at = now(req.orgId)
    const id = newId(req.orgId)
    const p: Participant = {
      id,
      meeting_id: req.params.meetingId,
      name: b.name ?? null,
      picture: b.picture ?? null,
      preset_name: b.preset_name,
      custom_participant_id: b.custom_participant_id ?? id,
      created_at: at,
      updated_at: at,
    }
    const token = await tokenFor(req, p)
    store.participants.insert(req.orgId, p)
    reply.code(201)
    return ok({ ...view(p), token })
  },

  async getParticipant (req: Req) {
    return ok(view(requireParticipant(req)))
  },

  async updateParticipant (req: Req<Schemas['UpdateParticipantRequest']>) {
    const { store, now } = req.server.dyte
    const current = requireParticipant(req)
    const b = req.body ?? {}
    const p: Participant = {
      ...current,
      name: b.name === undefined ? current.name : b.name,
      picture: b.picture === undefined ? current.picture : b.picture,
      preset_name: b.preset_name ?? current.preset_name,
      updated_at: now(req.orgId),
    }
    const token = await tokenFor(req, p)
    store.participants.update(req.orgId, p)
    return ok({ ...view(p), token })
  },

  async deleteParticipant (req: Req) {
    const p = requireParticipant(req)
    req.server.dyte.store.participants.remove(req.orgId, p.id)
    return okMessage('Participant deleted', {
      custom_participant_id: p.custom_participant_id,
      preset_id: req.server.dyte.store.presets.byName(req.orgId, p.preset_name)?.id ?? presetId(req.orgId, p.preset_name),
      created_at: p.created_at,
      updated_at: p.updated_at,
    })
  },

  async regenerateParticipantToken (req: Req) {
    return ok({ token: await tokenFor(req, requireParticipant(req)) })
  },
} satisfies Record<string, Handler>

/** RealtimeKit-only (PUT): every field from the body (those left out are cleared), and a fresh token. */
export const participantsRealtimeKit = {
  async replaceParticipant (req: Req<Schemas['AddParticipantRequest']>) {
    const { store, now } = req.server.dyte
    const current = requireParticipant(req)
    const b = req.body
    const p: Participant = {
      ...current,
      name: b.name ?? null,
      picture: b.picture ?? null,
      preset_name: b.preset_name,
      custom_participant_id: b.custom_participant_id ?? current.custom_participant_id,
      updated_at: now(req.orgId),
    }
    const token = await tokenFor(req, p)
    store.participants.update(req.orgId, p)
    return ok({ ...view(p), token })
  },
} satisfies Record<string, Handler>
