import type { ApiHandlers } from './types.js'
import { ok } from './envelope.js'

// The real API's active-session actions. Media is not simulated: mute and mute-all check
// their input and answer as the real API does, and change nothing else.
export const activeSession = {
  async kickParticipants (req) {
    return ok(req.server.dyte.sim.sessions.kick(req.orgId, req.params.meetingId, req.body))
  },
  async kickAllParticipants (req) {
    return ok(req.server.dyte.sim.sessions.kickAll(req.orgId, req.params.meetingId))
  },
  async muteParticipants (req) {
    return ok(req.server.dyte.sim.sessions.mute(req.orgId, req.params.meetingId, req.body))
  },
  async muteAllParticipants (req) {
    return ok(req.server.dyte.sim.sessions.muteAll(req.orgId, req.params.meetingId))
  },
  async createPoll (req, reply) {
    reply.code(201)
    return ok(req.server.dyte.sim.sessions.poll(req.orgId, req.params.meetingId, req.body))
  },
} satisfies Partial<ApiHandlers>
