// The control plane (/_mock, spec/mock.yaml): clock, joins and leaves, failures, events,
// settings and reset. Everything a handler changes goes through the simulator.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, notFound } from '../errors.js'
import { defaultSettings, type Settings } from '../simulate/settings.js'
import { recordingFiles } from '../simulate/files.js'
import type { Handler } from './index.js'
import { isoParam, ok, okPaged, pageOf } from './envelope.js'
import { recordingView } from './recordings.js'

type Req<B = unknown, Q = unknown, P = Record<string, string>> = FastifyRequest<{ Body: B, Querystring: Q, Params: P }>

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

export const mock = {
  async getClock (req: Req) {
    return ok(clockView(req))
  },

  async setClock (req: Req<{ frozen: boolean, now?: string }>) {
    const { clock, scheduler } = req.server.dyte
    if (req.body.frozen) clock.freeze(req.orgId, req.body.now === undefined ? undefined : Date.parse(req.body.now))
    else if (req.body.now !== undefined) throw new ApiError(400, 'body/now can only be given with frozen: true')
    else clock.unfreeze(req.orgId)
    scheduler.rearm()
    return ok(clockView(req))
  },

  async advanceClock (req: Req<{ seconds: number }>) {
    const { clock, scheduler, store } = req.server.dyte
    const seq = store.events.lastSeq(req.orgId)
    clock.advance(req.orgId, req.body.seconds * 1000)
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

  async listEvents (req: Req<unknown, { type?: string, meeting_id?: string, session_id?: string, since?: string, until?: string, page_no?: number, per_page?: number }>) {
    const q = req.query
    const list = req.server.dyte.store.events.list(req.orgId,
      { type: q.type, meeting_id: q.meeting_id, session_id: q.session_id, since: isoParam(q.since), until: isoParam(q.until) }, pageOf(q))
    return okPaged({ data: list.data.map(({ seq: _s, ...e }) => e), paging: list.paging })
  },

  async resetOrg (req: Req) {
    const { store, clock, settings, scheduler } = req.server.dyte
    store.tx(() => {
      store.resetOrg(req.orgId)
      store.orgs.remove(req.orgId)
    })
    clock.forget(req.orgId)
    settings.forget(req.orgId)
    scheduler.rearm()
    return { success: true, message: `Org ${req.orgId} reset` }
  },

  async getSettings (req: Req) {
    return ok(req.server.dyte.settings.get(req.orgId))
  },

  async updateSettings (req: Req<Partial<Settings>>) {
    const known = Object.keys(defaultSettings) as (keyof Settings)[]
    const patch = Object.fromEntries(known.filter((k) => req.body[k] !== undefined).map((k) => [k, req.body[k]]))
    return ok(req.server.dyte.settings.update(req.orgId, patch))
  },

  async downloadRecordingFile (req: Req<unknown, { expires: number, signature: string }, { orgId: string, file: string }>, reply: FastifyReply) {
    const [id, ext] = req.params.file.split('.')
    const opened = recordingFiles.open(req.server.dyte, req.params.orgId, id, ext, String(req.query.expires), req.query.signature)
    if ('refused' in opened) throw new ApiError(opened.refused!, opened.message!)
    reply.type(opened.type).header('content-disposition', `attachment; filename="${req.params.file}"`)
    return opened.body
  },
} satisfies Record<string, Handler>
