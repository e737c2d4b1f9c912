import type { FastifyRequest } from 'fastify'
import { found, notFoundMessage } from '../errors.js'
import type { Session, SessionPeer } from '../store/sessions.js'
import { callStats, derivedId, peerReport } from '../simulate/call-stats.js'
import type { ApiHandlers } from './types.js'
import { absolute, isoParam, ok, okPaged, pageOf } from './envelope.js'

/** The session as stored (the simulator's bookkeeping included). */
const storedSession = (req: FastifyRequest, sessionId: string): Session =>
  found(req.server.dyte.store.sessions.get(req.orgId, sessionId), 'session', sessionId)

/** The session as the API shows it. */
const sessionOf = (req: FastifyRequest, sessionId: string): Session => req.server.dyte.sim.sessions.view(req.orgId, storedSession(req, sessionId))

/** Session participants as the API shows them: `id` is the peer id, `user_id` the meeting participant. */
export function peerView (p: SessionPeer, peerEvents?: boolean) {
  return {
    id: p.id,
    user_id: p.participant_id,
    name: p.display_name,
    display_name: p.display_name,
    picture: p.picture,
    preset_name: p.preset_name,
    custom_participant_id: p.custom_participant_id,
    joined_at: p.joined_at,
    left_at: p.left_at,
    duration: p.duration,
    created_at: p.created_at,
    updated_at: p.updated_at,
    peer_events: peerEvents ? peerEventsOf(p) : undefined,
  }
}

function peerEventsOf (p: SessionPeer) {
  const ev = (n: number, event_name: string, at: string) => ({
    id: derivedId(p.id, n), peer_id: p.id, event_name, minutes_consumed: 0, created_at: at, updated_at: at,
  })
  const list = [ev(1, 'PEER_CREATED', p.joined_at), ev(2, 'PEER_JOINING', p.joined_at)]
  if (p.left_at) list.push({ ...ev(3, 'PEER_LEAVING', p.left_at), minutes_consumed: p.duration })
  return list
}

function rangeOf (participants?: string) {
  if (!participants) return {}
  const [min, max] = participants.split(':')
  return { participants_min: min ? Number(min) : undefined, participants_max: max ? Number(max) : undefined }
}

const filtersOf = (filters: string | undefined) => new Set((filters ?? '').split(',').filter(Boolean))

/** A peer of any session of the org, by its peer id, with its call statistics as Dyte and RealtimeKit report them. */
function peerReportOf (req: FastifyRequest, peerId: string, filters: string | undefined) {
  const { store, sim } = req.server.dyte
  const p = sim.sessions.peerView(req.orgId, found(store.sessions.peerById(req.orgId, peerId), 'peer', peerId))
  return { p, filters: filtersOf(filters), shared: { role: p.preset_name, session_id: p.session_id } }
}

// Not emulated: breakout rooms (always an empty list), call statistics beyond a generated sample.
export const sessions = {
  async listSessions (req) {
    const q = req.query
    const { store, sim } = req.server.dyte
    const list = store.sessions.list(req.orgId, {
      meeting_id: q.associated_id ?? q.meeting_id,
      status: q.status,
      start_time: isoParam(q.start_time),
      end_time: isoParam(q.end_time),
      search: q.search,
      sort_by: q.sort_by,
      sort_order: q.sort_order,
      ...rangeOf(q.participants),
      now: req.server.dyte.now(req.orgId),
    }, pageOf(q))
    return okPaged({ data: list.data.map((s) => sim.sessions.view(req.orgId, s)), paging: list.paging })
  },

  async getSession (req) {
    return ok(sessionOf(req, req.params.sessionId))
  },

  async listSessionParticipants (req) {
    const s = sessionOf(req, req.params.sessionId)
    const q = req.query
    const list = req.server.dyte.store.sessions.listPeers(req.orgId, s.id, { search: q.search, sort_by: q.sort_by, sort_order: q.sort_order, now: req.server.dyte.now(req.orgId) }, pageOf(q))
    return okPaged({ data: list.data.map((p) => peerView(req.server.dyte.sim.sessions.peerView(req.orgId, p), q.include_peer_events)), paging: list.paging })
  },

  async getSessionParticipant (req) {
    const s = sessionOf(req, req.params.sessionId)
    const stored = found(req.server.dyte.store.sessions.peer(req.orgId, s.id, req.params.participantId), 'participant', req.params.participantId)
    const p = req.server.dyte.sim.sessions.peerView(req.orgId, stored)
    const filters = filtersOf(req.query.filters)
    return ok({ participant: { ...peerView(p, req.query.include_peer_events || filters.has('events')), ...callStats(p, filters) } })
  },

  async getSessionChat (req) {
    const s = sessionOf(req, req.params.sessionId)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, 'chat.csv')
    return ok({ chat_download_url: absolute(req, u.path), chat_download_url_expiry: u.expiry })
  },

  async getSessionTranscript (req) {
    const s = sessionOf(req, req.params.sessionId)
    if (s.status !== 'ENDED') throw notFoundMessage(`The transcript of session ${s.id} is not ready: the session is still LIVE`)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, `transcript.${(req.query.format ?? 'CSV').toLowerCase()}`)
    return ok({ sessionId: s.id, transcript_download_url: absolute(req, u.path), transcript_download_url_expiry: u.expiry })
  },

  async getSessionSummary (req) {
    const s = storedSession(req, req.params.sessionId)
    if (!req.server.dyte.sim.sessions.hasSummary(s)) throw notFoundMessage(`No summary has been generated for session ${s.id} (POST /sessions/${s.id}/summary makes one)`)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, 'summary.md')
    return ok({ sessionId: s.id, summaryDownloadUrl: absolute(req, u.path), summaryDownloadUrlExpiry: u.expiry })
  },

  async generateSessionSummary (req) {
    req.server.dyte.sim.sessions.summarize(req.orgId, storedSession(req, req.params.sessionId))
    return ok({ success: true, message: 'Success' })
  },

  async getPeerReport (req) {
    const { p, filters, shared } = peerReportOf(req, req.params.peerId, req.query.filters)
    const { peer_events: _e, name: _n, picture: _p, ...view } = peerView(p)
    return ok({ participant: { ...view, ...shared, ...callStats(p, filters) } })
  },

  async getActiveSession (req) {
    const s = req.server.dyte.store.sessions.live(req.orgId, req.params.meetingId)
    if (!s) throw notFoundMessage(`No active session found for meeting_id ${req.params.meetingId}`)
    return ok(req.server.dyte.sim.sessions.view(req.orgId, s))
  },
} satisfies Partial<ApiHandlers>

// The real API's path for getActiveSession.
export const sessionAliases = { getMeetingActiveSession: sessions.getActiveSession } satisfies Partial<ApiHandlers>

/** RealtimeKit's own shapes. */
export const sessionsRealtimeKit = {
  /** The peer with `peer_report` (RealtimeKit's call statistics) and, when asked, `peer_events`. */
  async getPeerReportRealtimeKit (req) {
    const { p, filters, shared } = peerReportOf(req, req.params.peerId, req.query.filters)
    const { name: _n, picture: _p, preset_name: _pn, ...view } = peerView(p, req.query.include_peer_events)
    return ok({ participant: { ...view, ...shared, peer_report: peerReport(p, filters) } })
  },
} satisfies Partial<ApiHandlers>
