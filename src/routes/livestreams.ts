import type { FastifyReply, FastifyRequest } from 'fastify'
import { notFoundMessage } from '../errors.js'
import type { Livestream } from '../store/livestreams.js'
import type { Handler } from './index.js'
import { requireMeeting } from './meetings.js'
import { ok, okMessage } from './envelope.js'

type Req<B = unknown> = FastifyRequest<{ Params: { meetingId: string }, Body: B }>

/** The seed calls the ingest URL `rtmp_url`, the real API `ingest_server`: both are sent. */
export const livestreamView = (l: Livestream) => ({ ...l, rtmp_url: l.ingest_server })

export const livestreams = {
  async listLivestreams (req: Req) {
    requireMeeting(req, req.params.meetingId)
    return ok(req.server.dyte.store.livestreams.ofMeeting(req.orgId, req.params.meetingId).map(livestreamView))
  },

  async startLivestream (req: Req<{ name?: string | null } | undefined>, reply: FastifyReply) {
    reply.code(201)
    return ok(livestreamView(req.server.dyte.sim.livestreams.start(req.orgId, req.params.meetingId, req.body ?? {})))
  },

  async getActiveLivestream (req: Req) {
    requireMeeting(req, req.params.meetingId)
    const l = req.server.dyte.store.livestreams.active(req.orgId, req.params.meetingId)
    if (!l) throw notFoundMessage(`No active livestream found for meeting_id ${req.params.meetingId}`)
    return ok(livestreamView(l))
  },

  async stopLivestream (req: Req) {
    requireMeeting(req, req.params.meetingId)
    req.server.dyte.sim.livestreams.stop(req.orgId, req.params.meetingId)
    return okMessage('Stopped live stream successfully')
  },
} satisfies Record<string, Handler>
