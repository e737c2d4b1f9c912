import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Handler } from './index.js'
import { ok } from './envelope.js'

type Req<B = unknown> = FastifyRequest<{ Params: { meetingId: string }, Body: B }>
type Selection = { participant_ids?: string[], custom_participant_ids?: string[] }

// The real API's active-session actions. Media is not simulated: mute and mute-all check
// their input and answer as the real API does, and change nothing else.
export const activeSession = {
  async kickParticipants (req: Req<Selection>) {
    return ok(req.server.dyte.sim.sessions.kick(req.orgId, req.params.meetingId, req.body))
  },
  async kickAllParticipants (req: Req) {
    return ok(req.server.dyte.sim.sessions.kickAll(req.orgId, req.params.meetingId))
  },
  async muteParticipants (req: Req<Selection>) {
    return ok(req.server.dyte.sim.sessions.mute(req.orgId, req.params.meetingId, req.body))
  },
  async muteAllParticipants (req: Req) {
    return ok(req.server.dyte.sim.sessions.muteAll(req.orgId, req.params.meetingId))
  },
  async createPoll (req: Req<{ question: string, options: string[], anonymous?: boolean, hide_votes?: boolean }>, reply: FastifyReply) {
    reply.code(201)
    return ok(req.server.dyte.sim.sessions.poll(req.orgId, req.params.meetingId, req.body))
  },
} satisfies Record<string, Handler>
