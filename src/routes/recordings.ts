import type { FastifyRequest } from 'fastify'
import { found, notFoundMessage } from '../errors.js'
import type { Recording } from '../store/recordings.js'
import type { ApiHandlers } from './types.js'
import { absolute, isoParam, ok, okPaged, pageOf } from './envelope.js'

/** The API view: the simulator's bookkeeping stays inside; file URLs get this server's origin as the client sees it. */
export function recordingView ({ config: _c, created_at: _ca, updated_at: _ua, ...r }: Recording, req: FastifyRequest) {
  const abs = (p: string | null) => (p?.startsWith('/') ? absolute(req, p) : p)
  return { ...r, download_url: abs(r.download_url), audio_download_url: abs(r.audio_download_url) }
}

const recordingOf = (req: FastifyRequest, recordingId: string): Recording =>
  found(req.server.dyte.store.recordings.get(req.orgId, recordingId), 'recording', recordingId)

export const recordings = {
  async listRecordings (req) {
    const { store, now } = req.server.dyte
    const q = req.query
    const list = store.recordings.list(req.orgId, {
      meeting_id: q.meeting_id, status: q.status, search: q.search, sort_order: q.sort_order, expired: q.expired,
      now: now(req.orgId), start_time: isoParam(q.start_time), end_time: isoParam(q.end_time),
    }, pageOf(q))
    const meetings = new Map<string, unknown>()
    const data = list.data.map((r) => {
      if (!meetings.has(r.meeting_id)) meetings.set(r.meeting_id, store.meetings.get(req.orgId, r.meeting_id))
      return { ...recordingView(r, req), meeting: meetings.get(r.meeting_id) }
    })
    return okPaged({ data, paging: list.paging })
  },

  // The seed answers 201 here; the real API answers 200 (docs/fidelity.md).
  async startRecording (req, reply) {
    reply.code(201)
    const by = req.participant ? { reason: 'API_CALL' as const, participant: req.participant } : undefined
    return ok(recordingView(req.server.dyte.sim.recordings.start(req.orgId, req.body, by), req))
  },

  // One recording stands for all layers; its file name takes the first layer's prefix. RealtimeKit
  // makes `layers` optional: without it the recording has no prefix. Everything is derived from the
  // body before the one transaction that checks the meeting and writes the recording.
  async startTrackRecording (req) {
    const prefix = Object.values(req.body.layers ?? {})[0]?.file_name_prefix
    return ok(recordingView(req.server.dyte.sim.recordings.start(req.orgId, { ...req.body, file_name_prefix: prefix, allow_multiple_recordings: true }), req))
  },

  async getRecording (req) {
    return ok(recordingView(recordingOf(req, req.params.recordingId), req))
  },

  async updateRecording (req) {
    const r = recordingOf(req, req.params.recordingId)
    return ok(recordingView(req.server.dyte.sim.recordings.act(req.orgId, r, req.body.action), req))
  },

  async getActiveRecording (req) {
    const active = req.server.dyte.store.recordings.active(req.orgId, req.params.meetingId)
    if (active.length === 0) throw notFoundMessage(`No active recording found for meeting_id ${req.params.meetingId}`)
    return ok(recordingView(active[0], req))
  },
} satisfies Partial<ApiHandlers>

// The real API's path for getActiveRecording.
export const recordingAliases = { getMeetingActiveRecording: recordings.getActiveRecording } satisfies Partial<ApiHandlers>
