import type { FastifyRequest } from 'fastify'
import { found } from '../errors.js'
import type { Meeting } from '../store/meetings.js'
import type { ApiHandlers, BodyOf } from './types.js'
import { isoParam, ok, okPaged, pageOf } from './envelope.js'

export const meetingOf = (req: FastifyRequest, meetingId: string): Meeting =>
  found(req.server.dyte.store.meetings.get(req.orgId, meetingId), 'meeting', meetingId)

/** A meeting from a create (or replace) body: every field the body leaves out takes its default. */
function fromBody (b: BodyOf<'createMeeting' | 'replaceMeeting'>, keep: Pick<Meeting, 'id' | 'status' | 'created_at' | 'updated_at'>): Meeting {
  return {
    id: keep.id,
    title: b.title ?? undefined,
    preferred_region: b.preferred_region ?? null,
    record_on_start: b.record_on_start ?? false,
    live_stream_on_start: b.live_stream_on_start ?? false,
    persist_chat: b.persist_chat ?? false,
    summarize_on_end: b.summarize_on_end ?? false,
    transcribe_on_end: b.transcribe_on_end ?? false,
    session_keep_alive_time_in_secs: b.session_keep_alive_time_in_secs,
    status: keep.status,
    recording_config: b.recording_config,
    ai_config: b.ai_config,
    created_at: keep.created_at,
    updated_at: keep.updated_at,
  }
}

export const meetings = {
  async listMeetings (req) {
    const q = req.query
    return okPaged(req.server.dyte.store.meetings.list(req.orgId,
      { search: q.search, status: q.status, start_time: isoParam(q.start_time), end_time: isoParam(q.end_time) }, pageOf(q)))
  },

  async createMeeting (req, reply) {
    const { store, now, newId } = req.server.dyte
    const at = now(req.orgId)
    const meeting = store.meetings.insert(req.orgId, fromBody(req.body, { id: newId(req.orgId), status: 'ACTIVE', created_at: at, updated_at: at }))
    reply.code(201)
    return ok(meeting)
  },

  async replaceMeeting (req) {
    const { store, now } = req.server.dyte
    const current = meetingOf(req, req.params.meetingId)
    return ok(store.meetings.update(req.orgId, fromBody(req.body, { ...current, updated_at: now(req.orgId) })))
  },

  async getMeeting (req) {
    return ok(meetingOf(req, req.params.meetingId))
  },

  async updateMeeting (req) {
    const { store, now } = req.server.dyte
    const current = meetingOf(req, req.params.meetingId)
    const changes = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => v !== undefined))
    return ok(store.meetings.update(req.orgId, { ...current, ...changes, updated_at: now(req.orgId) }))
  },
} satisfies Partial<ApiHandlers>
