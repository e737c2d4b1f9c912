// What the front-end SDK and its users do: join (with a participant token, or as a participant),
// leave, and end the session for everyone.
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'

const joined = (j: { session_id: string, peer_id: string, meeting_id: string, participant_id: string }) =>
  ok({ session_id: j.session_id, peer_id: j.peer_id, meeting_id: j.meeting_id, participant_id: j.participant_id })

export const sessions = {
  async joinWithToken (req) {
    return joined(await req.server.dyte.sim.sessions.joinWithToken(req.orgId, req.body.token))
  },

  async joinParticipant (req) {
    return joined(req.server.dyte.sim.sessions.join(req.orgId, req.params.meetingId, req.params.participantId))
  },

  async leaveSession (req) {
    const { sim } = req.server.dyte
    return ok(sim.sessions.view(req.orgId, sim.sessions.leave(req.orgId, req.params.sessionId, req.params.peerId)))
  },

  async endActiveSession (req) {
    return ok(req.server.dyte.sim.sessions.endActive(req.orgId, req.params.meetingId))
  },
} satisfies Partial<MockHandlers>
