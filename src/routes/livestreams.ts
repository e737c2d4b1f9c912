import type { FastifyRequest } from 'fastify'
import { found, notFoundMessage } from '../errors.js'
import type { Livestream } from '../store/livestreams.js'
import type { ApiHandlers } from './types.js'
import { meetingOf } from './meetings.js'
import { isoParam, ok, okMessage, okPaged, pageOf } from './envelope.js'
import { paging } from '../store/query.js'

const livestreamOf = (req: FastifyRequest, id: string): Livestream => found(req.server.dyte.store.livestreams.get(req.orgId, id), 'livestream', id)

/** The seed calls the ingest URL `rtmp_url`, the real API `ingest_server`: both are sent. */
export const livestreamView = (l: Livestream) => ({ ...l, rtmp_url: l.ingest_server })

export const livestreams = {
  async listLivestreams (req) {
    meetingOf(req, req.params.meetingId)
    return ok(req.server.dyte.store.livestreams.ofMeeting(req.orgId, req.params.meetingId).map(livestreamView))
  },

  async startLivestream (req, reply) {
    reply.code(201)
    return ok(livestreamView(req.server.dyte.sim.livestreams.start(req.orgId, req.params.meetingId, req.body ?? {})))
  },

  async getActiveLivestream (req) {
    meetingOf(req, req.params.meetingId)
    const l = req.server.dyte.store.livestreams.active(req.orgId, req.params.meetingId)
    if (!l) throw notFoundMessage(`No active livestream found for meeting_id ${req.params.meetingId}`)
    return ok(livestreamView(l))
  },

  async stopLivestream (req) {
    meetingOf(req, req.params.meetingId)
    req.server.dyte.sim.livestreams.stop(req.orgId, req.params.meetingId)
    const message = 'Stopped live stream successfully'
    return okMessage(message, { message })
  },

  async createLivestream (req, reply) {
    reply.code(201)
    return ok(livestreamView(req.server.dyte.sim.livestreams.createIndependent(req.orgId, req.body ?? {})))
  },

  async listAllLivestreams (req) {
    const q = req.query
    const list = req.server.dyte.store.livestreams.list(req.orgId, { ...q, start_time: isoParam(q.start_time), end_time: isoParam(q.end_time) }, pageOf(q))
    return okPaged({ data: list.data.map(livestreamView), paging: list.paging })
  },

  async getLivestream (req) {
    const l = livestreamOf(req, req.params.livestreamId)
    const sessions = req.server.dyte.store.livestreamSessions.ofLivestream(req.orgId, l.id, pageOf(req.query))
    return ok({ livestream: livestreamView(l), session: sessions.data[0] ?? null, paging: sessions.paging })
  },

  async getActiveLivestreamSession (req) {
    const l = livestreamOf(req, req.params.livestreamId)
    const session = req.server.dyte.store.livestreamSessions.open(req.orgId, l.id)
    if (!session) throw notFoundMessage(`No active livestream session found for livestream_id ${l.id}`)
    return ok({ livestream: livestreamView(l), session })
  },

  async getLivestreamSession (req) {
    return ok(found(req.server.dyte.store.livestreamSessions.get(req.orgId, req.params.livestreamSessionId), 'livestream session', req.params.livestreamSessionId))
  },

  async enableLivestream (req) {
    return ok(livestreamView(req.server.dyte.sim.livestreams.setDisabled(req.orgId, livestreamOf(req, req.params.livestreamId), false)))
  },

  async disableLivestream (req) {
    return ok(livestreamView(req.server.dyte.sim.livestreams.setDisabled(req.orgId, livestreamOf(req, req.params.livestreamId), true)))
  },

  async resetStreamKey (req) {
    return ok(livestreamView(req.server.dyte.sim.livestreams.resetStreamKey(req.orgId, livestreamOf(req, req.params.livestreamId))))
  },

  async getMeetingLivestreams (req) {
    const { store } = req.server.dyte
    meetingOf(req, req.params.meetingId)
    const livestreams = store.livestreams.ofMeeting(req.orgId, req.params.meetingId)
    const sessions = livestreams.flatMap((l) => store.livestreamSessions.ofLivestream(req.orgId, l.id, { page_no: 1, per_page: 1000 }).data)
    const page = pageOf(req.query)
    const start = (page.page_no - 1) * page.per_page
    const rows = livestreams.slice(start, start + page.per_page)
    return ok({
      livestreams: rows.map(livestreamView),
      sessions: sessions.filter((s) => rows.some((l) => l.id === s.livestream_id)),
      paging: paging(livestreams.length, page, rows.length),
    })
  },

  async listSessionLivestreamSessions (req) {
    const { store } = req.server.dyte
    found(store.sessions.get(req.orgId, req.params.sessionId), 'session', req.params.sessionId)
    return ok(store.livestreamSessions.ofMeetingSession(req.orgId, req.params.sessionId, pageOf(req.query)))
  },
} satisfies Partial<ApiHandlers>
