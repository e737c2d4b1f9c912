import type { FastifyRequest } from 'fastify'
import { notFound, notFoundMessage } from '../errors.js'
import type { Session, SessionPeer } from '../store/sessions.js'
import type { Handler } from './index.js'
import { absolute, isoParam, ok, okPaged, pageOf } from './envelope.js'

type Req<Q = unknown> = FastifyRequest<{ Params: { sessionId: string, participantId: string, meetingId: string, peerId: string }, Querystring: Q }>

/** The session as stored (the simulator's bookkeeping included). */
function storedSession (req: Req): Session {
  const s = req.server.dyte.store.sessions.get(req.orgId, req.params.sessionId)
  if (!s) throw notFound('session', req.params.sessionId)
  return s
}

/** The session as the API shows it. */
const requireSession = (req: Req): Session => req.server.dyte.sim.sessions.view(req.orgId, storedSession(req))

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
    id: uuidFrom(p.id, n), peer_id: p.id, event_name, minutes_consumed: 0, created_at: at, updated_at: at,
  })
  const list = [ev(1, 'PEER_CREATED', p.joined_at), ev(2, 'PEER_JOINING', p.joined_at)]
  if (p.left_at) list.push({ ...ev(3, 'PEER_LEAVING', p.left_at), minutes_consumed: p.duration })
  return list
}

/** A stable id derived from the peer id, so repeated reads return the same event ids. */
function uuidFrom (id: string, n: number) {
  return id.slice(0, -2) + n.toString(16).padStart(2, '0')
}

function rangeOf (participants?: string) {
  if (!participants) return {}
  const [min, max] = participants.split(':')
  return { participants_min: min ? Number(min) : undefined, participants_max: max ? Number(max) : undefined }
}

interface ListQuery {
  page_no?: number, per_page?: number, associated_id?: string, meeting_id?: string, status?: string, start_time?: string,
  end_time?: string, search?: string, sort_by?: 'minutesConsumed' | 'createdAt', sort_order?: 'ASC' | 'DESC', participants?: string
}

// Not emulated: breakout rooms (always an empty list), call statistics beyond a generated sample.
export const sessions = {
  async listSessions (req: Req<ListQuery>) {
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

  async getSession (req: Req) {
    return ok(requireSession(req))
  },

  async listSessionParticipants (req: Req<{ page_no?: number, per_page?: number, search?: string, sort_by?: 'joinedAt' | 'duration', sort_order?: 'ASC' | 'DESC', include_peer_events?: boolean }>) {
    const s = requireSession(req)
    const q = req.query
    const list = req.server.dyte.store.sessions.listPeers(req.orgId, s.id, { search: q.search, sort_by: q.sort_by, sort_order: q.sort_order, now: req.server.dyte.now(req.orgId) }, pageOf(q))
    return okPaged({ data: list.data.map((p) => peerView(req.server.dyte.sim.sessions.peerView(req.orgId, p), q.include_peer_events)), paging: list.paging })
  },

  async getSessionParticipant (req: Req<{ filters?: string, include_peer_events?: boolean }>) {
    const s = requireSession(req)
    const stored = req.server.dyte.store.sessions.peer(req.orgId, s.id, req.params.participantId)
    if (!stored) throw notFound('participant', req.params.participantId)
    const p = req.server.dyte.sim.sessions.peerView(req.orgId, stored)
    const filters = new Set((req.query.filters ?? '').split(',').filter(Boolean))
    return ok({ participant: { ...peerView(p, req.query.include_peer_events || filters.has('events')), ...callStats(p, filters) } })
  },

  async getSessionChat (req: Req) {
    const s = requireSession(req)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, 'chat.csv')
    return ok({ chat_download_url: absolute(req, u.path), chat_download_url_expiry: u.expiry })
  },

  async getSessionTranscript (req: Req<{ format?: string }>) {
    const s = requireSession(req)
    if (s.status !== 'ENDED') throw notFoundMessage(`The transcript of session ${s.id} is not ready: the session is still LIVE`)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, `transcript.${(req.query.format ?? 'CSV').toLowerCase()}`)
    return ok({ sessionId: s.id, transcript_download_url: absolute(req, u.path), transcript_download_url_expiry: u.expiry })
  },

  async getSessionSummary (req: Req) {
    const s = storedSession(req)
    if (!req.server.dyte.sim.sessions.hasSummary(s)) throw notFoundMessage(`No summary has been generated for session ${s.id} (POST /sessions/${s.id}/summary makes one)`)
    const u = req.server.dyte.sim.sessions.exportUrl(req.orgId, s, 'summary.md')
    return ok({ sessionId: s.id, summaryDownloadUrl: absolute(req, u.path), summaryDownloadUrlExpiry: u.expiry })
  },

  async generateSessionSummary (req: Req) {
    req.server.dyte.sim.sessions.summarize(req.orgId, storedSession(req))
    return ok({ success: true, message: 'Success' })
  },

  async getPeerReport (req: Req<{ filters?: string }>) {
    const { store, sim } = req.server.dyte
    const stored = store.sessions.peerById(req.orgId, req.params.peerId)
    if (!stored) throw notFound('peer', req.params.peerId)
    const p = sim.sessions.peerView(req.orgId, stored)
    const filters = new Set((req.query.filters ?? '').split(',').filter(Boolean))
    const { peer_events: _e, name: _n, picture: _p, ...view } = peerView(p)
    return ok({ participant: { ...view, role: p.preset_name, session_id: p.session_id, ...callStats(p, filters) } })
  },

  async getActiveSession (req: Req) {
    const s = req.server.dyte.store.sessions.live(req.orgId, req.params.meetingId)
    if (!s) throw notFoundMessage(`No active session found for meeting_id ${req.params.meetingId}`)
    return ok(req.server.dyte.sim.sessions.view(req.orgId, s))
  },
} satisfies Record<string, Handler>

// The real API's path for getActiveSession.
export const sessionAliases = { getMeetingActiveSession: sessions.getActiveSession }

/** RealtimeKit's own shapes. */
export const sessionsRealtimeKit = {
  /** The peer with `peer_report` (RealtimeKit's call statistics) and, when asked, `peer_events`. */
  async getPeerReportRealtimeKit (req: Req<{ filters?: string, include_peer_events?: boolean }>) {
    const { store, sim } = req.server.dyte
    const stored = store.sessions.peerById(req.orgId, req.params.peerId)
    if (!stored) throw notFound('peer', req.params.peerId)
    const p = sim.sessions.peerView(req.orgId, stored)
    const filters = new Set((req.query.filters ?? '').split(',').filter(Boolean))
    const { name: _n, picture: _p, preset_name: _pn, ...view } = peerView(p, req.query.include_peer_events)
    return ok({ participant: { ...view, role: p.preset_name, session_id: p.session_id, peer_report: peerReport(p, filters) } })
  },
} satisfies Record<string, Handler>

// A small, fixed sample of the call statistics the real API collects from the browser SDK: a
// Chrome on Linux on a good connection, sending 32 kbps of audio and 1200 kbps of 720p video.
const sample = {
  browser: { browser: 'Chrome', browser_version: '120.0.0.0', user_agent: 'dyte-mock' },
  device: { os: 'Linux', os_version: 'x86_64', is_mobile: false },
  sdk: { sdk_name: 'dyte-mock', sdk_version: '1.0.0' },
  ip: { city: 'Localhost', country: 'ZZ', ipv4: '127.0.0.1', region: 'Loopback', timezone: 'UTC' },
  connectivity: { turn_connectivity: true, reflexive_connectivity: true, relay_connectivity: true },
}
const wanted = (filters: Set<string>, f: string) => filters.size === 0 || filters.has(f)

/** Dyte's call statistics: `peer_stats` and `quality_stats`, narrowed by `filters`. */
function callStats (p: SessionPeer, filters: Set<string>) {
  const peer_stats: Record<string, unknown> = {}
  if (wanted(filters, 'device_info')) peer_stats.device_info = { ...sample.browser, ...sample.device, ...sample.sdk }
  if (wanted(filters, 'ip_information')) peer_stats.ip_information = sample.ip
  if (wanted(filters, 'precall_network_information')) {
    peer_stats.precall_network_information = { backend_rtt: 20, effective_networktype: '4g', jitter: 1, rtt: 20, fractional_loss: 0, ...sample.connectivity }
  }
  if (wanted(filters, 'events')) {
    peer_stats.events = [{ timestamp: p.joined_at, type: 'PEER_JOINED' }, ...(p.left_at ? [{ timestamp: p.left_at, type: 'PEER_LEFT' }] : [])]
  }
  const quality_stats = wanted(filters, 'quality_stats')
    ? [{ peer_id: p.id, start: p.joined_at, end: p.left_at ?? p.updated_at, average_quality: 5, audio_packet_loss: 0, video_packet_loss: 0, audio_bandwidth: 32, video_bandwidth: 1200, audio_stats: [], video_stats: [] }]
    : undefined
  return { peer_stats, quality_stats }
}

/** RealtimeKit's `peer_report` ({metadata, quality}) with the same sample, narrowed by `filters`. */
function peerReport (p: SessionPeer, filters: Set<string>) {
  const metadata: Record<string, unknown> = {}
  if (wanted(filters, 'device_info')) {
    Object.assign(metadata, {
      device_info: { ...sample.device, cpus: 8 },
      browser_metadata: { ...sample.browser, engine: 'Blink', webgl_support: true },
      ...sample.sdk,
      sdk_type: 'web',
    })
  }
  if (wanted(filters, 'ip_information')) metadata.ip_information = sample.ip
  if (wanted(filters, 'precall_network_information')) metadata.pc_metadata = [{ timestamp: p.joined_at, effective_network_type: '4g', ...sample.connectivity }]
  if (wanted(filters, 'events')) {
    metadata.events = [{ name: 'PEER_JOINED', timestamp: p.joined_at }, ...(p.left_at ? [{ name: 'PEER_LEFT', timestamp: p.left_at }] : [])]
  }
  if (!wanted(filters, 'quality_stats')) return { metadata }
  const seconds = Math.round(p.duration * 60)
  const timestamp = p.left_at ?? p.updated_at
  const common = { timestamp, packets_lost: 0, jitter: 1, rtt: 20, mos_quality: 4.5 }
  return {
    metadata,
    quality: {
      audio_producer: [{ ...common, producer_id: uuidFrom(p.id, 0xa1), mid: '0', ssrc: 1001, bytes_sent: seconds * 4000, packets_sent: seconds * 50 }],
      video_producer: [{
        ...common, producer_id: uuidFrom(p.id, 0xa2), mid: '1', ssrc: 1002, bytes_sent: seconds * 150_000, packets_sent: seconds * 130,
        frame_width: 1280, frame_height: 720, frames_per_second: 30, frames_encoded: seconds * 30, key_frames_encoded: Math.ceil(seconds / 2),
        quality_limitation_reason: 'none',
      }],
    },
  }
}
