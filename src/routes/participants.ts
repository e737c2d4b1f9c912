import type { FastifyRequest } from 'fastify'
import { badRequest, found } from '../errors.js'
import type { Participant } from '../store/participants.js'
import { presetId } from '../tokens.js'
import type { ApiHandlers } from './types.js'
import { meetingOf } from './meetings.js'
import { ok, okMessage, okPaged, pageOf } from './envelope.js'

type Ids = { meetingId: string, participantId: string }

function participantOf (req: FastifyRequest, { meetingId, participantId }: Ids): Participant {
  meetingOf(req, meetingId)
  return found(req.server.dyte.store.participants.get(req.orgId, meetingId, participantId), 'participant', participantId)
}

/** The id of the org's preset with this name: a 400 naming the org's presets when there is none. */
function presetIdOf (req: FastifyRequest, name: string) {
  const p = req.server.dyte.store.presets.byName(req.orgId, name)
  if (!p) {
    const names = req.server.dyte.store.presets.list(req.orgId, undefined, { page_no: 1, per_page: 50 }).data.map((x) => x.name)
    throw badRequest(`body/preset_name '${name}' is not a preset of this organization (presets: ${names.join(', ')})`)
  }
  return p.id
}

const view = ({ meeting_id: _m, ...p }: Participant) => p

function tokenFor (req: FastifyRequest, p: Participant) {
  const { tokens, clock } = req.server.dyte
  return tokens.sign({ orgId: req.orgId, meetingId: p.meeting_id, participantId: p.id, presetId: presetIdOf(req, p.preset_name) }, clock.now(req.orgId))
}

/** Stores a new or changed participant and answers it with a fresh token (signed first: an unknown preset stores nothing). */
async function save (req: FastifyRequest, p: Participant, write: 'insert' | 'update') {
  const token = await tokenFor(req, p)
  req.server.dyte.store.participants[write](req.orgId, p)
  return ok({ ...view(p), token })
}

// Not emulated: custom_participant_id is not required to be unique.
export const participants = {
  async listParticipants (req) {
    meetingOf(req, req.params.meetingId)
    const list = req.server.dyte.store.participants.list(req.orgId, req.params.meetingId, pageOf(req.query))
    return okPaged({ data: list.data.map(view), paging: list.paging })
  },

  async addParticipant (req, reply) {
    const { now, newId } = req.server.dyte
    meetingOf(req, req.params.meetingId)
    const b = req.body
    const at = now(req.orgId)
    const id = newId(req.orgId)
    const answer = await save(req, {
      id,
      meeting_id: req.params.meetingId,
      name: b.name ?? null,
      picture: b.picture ?? null,
      preset_name: b.preset_name,
      custom_participant_id: b.custom_participant_id ?? id,
      created_at: at,
      updated_at: at,
    }, 'insert')
    reply.code(201)
    return answer
  },

  async getParticipant (req) {
    return ok(view(participantOf(req, req.params)))
  },

  async updateParticipant (req) {
    const current = participantOf(req, req.params)
    const b = req.body
    return save(req, {
      ...current,
      name: b.name === undefined ? current.name : b.name,
      picture: b.picture === undefined ? current.picture : b.picture,
      preset_name: b.preset_name ?? current.preset_name,
      updated_at: req.server.dyte.now(req.orgId),
    }, 'update')
  },

  async deleteParticipant (req) {
    const { store } = req.server.dyte
    const p = participantOf(req, req.params)
    store.participants.remove(req.orgId, p.id)
    return okMessage('Participant deleted', {
      custom_participant_id: p.custom_participant_id,
      preset_id: store.presets.byName(req.orgId, p.preset_name)?.id ?? presetId(req.orgId, p.preset_name),
      created_at: p.created_at,
      updated_at: p.updated_at,
    })
  },

  async regenerateParticipantToken (req) {
    return ok({ token: await tokenFor(req, participantOf(req, req.params)) })
  },
} satisfies Partial<ApiHandlers>

/** RealtimeKit-only (PUT): every field from the body (those left out are cleared), and a fresh token. */
export const participantsRealtimeKit = {
  async replaceParticipant (req) {
    const current = participantOf(req, req.params)
    const b = req.body
    return save(req, {
      ...current,
      name: b.name ?? null,
      picture: b.picture ?? null,
      preset_name: b.preset_name,
      custom_participant_id: b.custom_participant_id ?? current.custom_participant_id,
      updated_at: req.server.dyte.now(req.orgId),
    }, 'update')
  },
} satisfies Partial<ApiHandlers>
