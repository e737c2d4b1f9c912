// Sessions and the people in them: join, leave, end, and the active-session actions (kick,
// mute, poll). A session starts with its first participant and ends when the last one leaves
// (after the meeting's keep-alive time, if set) or when it is ended for everyone.
import type { Reached } from './coverage.js'
import { badRequest, forbidden, found, notFound, notFoundMessage, unauthorized } from '../errors.js'
import type { Store } from '../store/index.js'
import type { Meeting } from '../store/meetings.js'
import type { Session, SessionPeer } from '../store/sessions.js'
import type { Tokens } from '../tokens.js'
import { iso, type Clock } from './clock.js'
import { meetingBlock, participantBlock, type Emit } from './events.js'
import type { Files } from './files.js'
import type { NewId } from './ids.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'
import type { RecordingSimulator } from './recordings.js'
import type { LivestreamSimulator } from './livestreams.js'

/** Kept in a session's meta for the simulator only (never shown): when its summary was generated. */
const SUMMARY_AT = 'summary_generated_at'

const minutesBetween = (from: string, toMs: number) => Math.max(0, toMs - Date.parse(from)) / 60_000

export interface SessionDeps {
  store: Store, clock: Clock, scheduler: Scheduler, settings: SettingsStore, emit: Emit, newId: NewId, files: Files, tokens: Tokens, reached: Reached,
  /** What a session starts and stops with it (record_on_start, live_stream_on_start). */
  recordings: Pick<RecordingSimulator, 'start' | 'stop'>, livestreams: Pick<LivestreamSimulator, 'start' | 'stop'>
}

export function createSessionSimulator (ctx: SessionDeps) {
  const { store, files } = ctx

  const requireMeeting = (orgId: string, meetingId: string) => found(store.meetings.get(orgId, meetingId), 'meeting', meetingId)
  const requireLive = (orgId: string, meetingId: string) => {
    requireMeeting(orgId, meetingId)
    const s = store.sessions.live(orgId, meetingId)
    if (!s) throw notFoundMessage(`No active session found for meeting_id ${meetingId}`)
    return s
  }

  function start (orgId: string, meeting: Meeting, atMs: number): Session {
    const at = iso(atMs)
    const session = store.sessions.insert({
      id: ctx.newId(orgId),
      associated_id: meeting.id,
      meeting_display_name: meeting.title ?? null,
      type: 'meeting',
      status: 'LIVE',
      live_participants: 0,
      max_concurrent_participants: 0,
      minutes_consumed: 0,
      organization_id: orgId,
      started_at: at,
      ended_at: null,
      created_at: at,
      updated_at: at,
      meta: {},
      breakout_rooms: [],
    })
    ctx.reached(orgId, 'session', 'LIVE')
    ctx.emit(orgId, 'meeting.started', atMs, { meeting_id: meeting.id, session_id: session.id }, { meeting: meetingBlock(ctx, orgId, meeting, session) })
    // A recording or livestream started through the API before anyone joined carries on: the
    // session does not start another (that would be a 409, failing the join).
    if (meeting.record_on_start && store.recordings.active(orgId, meeting.id).length === 0) {
      ctx.recordings.start(orgId, { meeting_id: meeting.id }, { reason: 'RECORD_ON_START' }, atMs)
    }
    if (meeting.live_stream_on_start && !store.livestreams.active(orgId, meeting.id)) ctx.livestreams.start(orgId, meeting.id, {}, atMs)
    return session
  }

  /** Takes one peer out; returns the session as it is after. Does not end the session. */
  function closePeer (orgId: string, meeting: Meeting, session: Session, peer: SessionPeer, atMs: number): Session {
    const duration = minutesBetween(peer.joined_at, atMs)
    const left = store.sessions.updatePeer(orgId, { ...peer, left_at: iso(atMs), duration, updated_at: iso(atMs) })
    const next = store.sessions.update({
      ...session,
      live_participants: Math.max(0, session.live_participants - 1),
      minutes_consumed: session.minutes_consumed + duration,
      updated_at: iso(atMs),
    })
    ctx.emit(orgId, 'meeting.participantLeft', atMs, { meeting_id: meeting.id, session_id: session.id },
      { meeting: meetingBlock(ctx, orgId, meeting, next), participant: participantBlock(left) })
    return next
  }

  function end (orgId: string, session: Session, reason: 'HOST_ENDED_MEETING' | 'ALL_PARTICIPANTS_LEFT', atMs: number): Session {
    const meeting = requireMeeting(orgId, session.associated_id)
    let s = session
    for (const peer of store.sessions.peers(orgId, session.id)) {
      if (peer.left_at === null) s = closePeer(orgId, meeting, s, peer, atMs)
    }
    ctx.scheduler.cancel(orgId, session.id, 'session.end')
    const ended = store.sessions.update({ ...s, status: 'ENDED', live_participants: 0, ended_at: iso(atMs), updated_at: iso(atMs) })
    ctx.reached(orgId, 'session', 'ENDED')
    ctx.emit(orgId, 'meeting.ended', atMs, { meeting_id: meeting.id, session_id: session.id },
      { meeting: meetingBlock(ctx, orgId, meeting, ended), reason })
    for (const r of store.recordings.active(orgId, meeting.id)) {
      ctx.recordings.stop(orgId, r, { reason: 'ALL_PEERS_LEFT' }, atMs) // no caller: the platform stops it (INTERNAL in webhooks)
    }
    if (store.livestreams.active(orgId, meeting.id)) ctx.livestreams.stop(orgId, meeting.id, atMs, { quiet: true })
    afterEnd(orgId, meeting, ended, atMs)
    return store.sessions.get(orgId, ended.id)!
  }

  /** A signed URL of a session export, valid for the org's download_url_ttl_s. */
  const exportUrl = (orgId: string, session: Session, file: string, atMs: number) => {
    const expiresMs = atMs + ctx.settings.get(orgId).download_url_ttl_s * 1000
    return { path: files.signedPath(orgId, `sessions/${session.id}/${file}`, expiresMs), expiry: iso(expiresMs) }
  }

  /** Marks the session's summary as generated and announces it (meeting.summary). */
  function summarize (orgId: string, meeting: Meeting, session: Session, atMs: number) {
    const s = store.sessions.update({ ...session, meta: { ...session.meta, [SUMMARY_AT]: iso(atMs) }, updated_at: iso(atMs) })
    const u = exportUrl(orgId, s, 'summary.md', atMs)
    ctx.emit(orgId, 'meeting.summary', atMs, { meeting_id: meeting.id, session_id: s.id },
      { meeting: meetingBlock(ctx, orgId, meeting, s), summaryDownloadUrl: files.absolute(u.path), summaryDownloadUrlExpiry: u.expiry })
    return s
  }

  /** What the real platform produces after a session: the chat export, transcript and summary. */
  function afterEnd (orgId: string, meeting: Meeting, session: Session, atMs: number) {
    const block = meetingBlock(ctx, orgId, meeting, session)
    if (meeting.persist_chat) {
      const u = exportUrl(orgId, session, 'chat.csv', atMs)
      ctx.emit(orgId, 'meeting.chatSynced', atMs, { meeting_id: meeting.id, session_id: session.id }, {
        sessionId: session.id, meetingId: meeting.id, chatDownloadUrl: files.absolute(u.path), chatDownloadUrlExpiry: u.expiry,
        organizedBy: block.organizedBy, title: meeting.title, createdAt: meeting.created_at, startedAt: session.started_at, endedAt: session.ended_at,
      })
    }
    if (meeting.transcribe_on_end || meeting.summarize_on_end || meeting.ai_config?.transcription) {
      const u = exportUrl(orgId, session, 'transcript.csv', atMs)
      ctx.emit(orgId, 'meeting.transcript', atMs, { meeting_id: meeting.id, session_id: session.id },
        { meeting: block, transcriptDownloadUrl: files.absolute(u.path), transcriptDownloadUrlExpiry: u.expiry })
    }
    if (meeting.summarize_on_end) summarize(orgId, meeting, session, atMs)
  }

  function leave (orgId: string, session: Session, peer: SessionPeer, atMs: number) {
    if (peer.left_at !== null) throw badRequest(`Peer ${peer.id} already left session ${session.id}`)
    const meeting = requireMeeting(orgId, session.associated_id)
    const s = closePeer(orgId, meeting, session, peer, atMs)
    if (s.live_participants === 0) {
      const keepAlive = meeting.session_keep_alive_time_in_secs
      if (keepAlive) ctx.scheduler.schedule(orgId, atMs + keepAlive * 1000, 'session.end', s.id)
      else return end(orgId, s, 'ALL_PARTICIPANTS_LEFT', atMs)
    }
    return s
  }

  ctx.scheduler.on('session.end', (orgId, sessionId, atMs) => {
    const s = store.sessions.get(orgId, sessionId)
    if (s && s.status === 'LIVE' && s.live_participants === 0) end(orgId, s, 'ALL_PARTICIPANTS_LEFT', atMs)
  })

  /** The live session's peers matching participant ids or custom participant ids; 404 for any unknown one. */
  function peersFor (orgId: string, session: Session, ids: { participant_ids?: string[], custom_participant_ids?: string[] }) {
    const live = store.sessions.peers(orgId, session.id).filter((p) => p.left_at === null)
    const picked = new Map<string, SessionPeer>()
    for (const id of ids.participant_ids ?? []) {
      const found = live.filter((p) => p.participant_id === id || p.id === id)
      if (found.length === 0) throw notFoundMessage(`No user found with id ${id}`)
      for (const p of found) picked.set(p.id, p)
    }
    for (const id of ids.custom_participant_ids ?? []) {
      const found = live.filter((p) => p.custom_participant_id === id)
      if (found.length === 0) throw notFoundMessage(`No user found with id ${id}`)
      for (const p of found) picked.set(p.id, p)
    }
    if (picked.size === 0) throw badRequest('body must name at least one participant in participant_ids or custom_participant_ids')
    return [...picked.values()]
  }

  const actionView = (p: SessionPeer) => ({ id: p.participant_id, name: p.display_name ?? undefined, picture: p.picture ?? undefined, created_at: p.created_at, updated_at: p.updated_at })

  /** Puts the meeting's participant into its live session, starting one if none is live. */
  function join (orgId: string, meetingId: string, participantId: string, atMs = ctx.clock.now(orgId)) {
    const participant = store.participants.get(orgId, meetingId, participantId)
    if (!participant) {
      requireMeeting(orgId, meetingId)
      throw notFound('participant', participantId)
    }
    return store.tx(() => {
      const meeting = requireMeeting(orgId, meetingId)
      if (meeting.status !== 'ACTIVE') {
        throw forbidden(`Meeting ${meeting.id} is INACTIVE: participants cannot join an INACTIVE meeting`)
      }
      let session = store.sessions.live(orgId, meeting.id) ?? start(orgId, meeting, atMs)
      ctx.scheduler.cancel(orgId, session.id, 'session.end')
      const at = iso(atMs)
      const peer = store.sessions.insertPeer(orgId, {
        id: ctx.newId(orgId),
        participant_id: participant.id,
        session_id: session.id,
        display_name: participant.name,
        picture: participant.picture,
        preset_name: participant.preset_name,
        custom_participant_id: participant.custom_participant_id,
        joined_at: at,
        left_at: null,
        duration: 0,
        created_at: at,
        updated_at: at,
      })
      const live = session.live_participants + 1
      session = store.sessions.update({
        ...session, live_participants: live, max_concurrent_participants: Math.max(live, session.max_concurrent_participants), updated_at: at,
      })
      ctx.emit(orgId, 'meeting.participantJoined', atMs, { meeting_id: meeting.id, session_id: session.id },
        { meeting: meetingBlock(ctx, orgId, meeting, session), participant: participantBlock(peer) })
      return { session_id: session.id, peer_id: peer.id, meeting_id: meeting.id, participant_id: participant.id, session, peer }
    })
  }

  /** Joins as the participant a token names, as the front-end SDK does: the token must be valid on the org's clock, and the org's. */
  async function joinWithToken (orgId: string, token: string) {
    let claims
    try {
      claims = await ctx.tokens.verify(token, ctx.clock.now(orgId))
    } catch (err) {
      throw unauthorized(`Invalid participant token: ${(err as Error).message}`)
    }
    if (claims.orgId !== orgId) throw unauthorized('Invalid participant token: it belongs to another organization')
    return join(orgId, claims.meetingId, claims.participantId)
  }

  return {
    join,
    joinWithToken,

    leave (orgId: string, sessionId: string, peerId: string, atMs = ctx.clock.now(orgId)) {
      return store.tx(() => {
        const session = found(store.sessions.get(orgId, sessionId), 'session', sessionId)
        return leave(orgId, session, found(store.sessions.peer(orgId, sessionId, peerId), 'peer', peerId), atMs)
      })
    },

    endActive (orgId: string, meetingId: string, atMs = ctx.clock.now(orgId)) {
      return store.tx(() => end(orgId, requireLive(orgId, meetingId), 'HOST_ENDED_MEETING', atMs))
    },

    kick (orgId: string, meetingId: string, ids: { participant_ids?: string[], custom_participant_ids?: string[] }) {
      return store.tx(() => {
        const atMs = ctx.clock.now(orgId)
        const session = requireLive(orgId, meetingId)
        const peers = peersFor(orgId, session, ids)
        for (const p of peers) {
          const current = store.sessions.get(orgId, session.id)!
          if (current.status === 'LIVE') leave(orgId, current, store.sessions.peer(orgId, session.id, p.id)!, atMs)
        }
        return { action: 'kick', participants: peers.map(actionView) }
      })
    },

    kickAll (orgId: string, meetingId: string) {
      return store.tx(() => {
        const session = requireLive(orgId, meetingId)
        const count = session.live_participants
        end(orgId, session, 'HOST_ENDED_MEETING', ctx.clock.now(orgId))
        return { action: 'kick-all', kicked_participants_count: count }
      })
    },

    mute (orgId: string, meetingId: string, ids: { participant_ids?: string[], custom_participant_ids?: string[] }) {
      const session = requireLive(orgId, meetingId)
      return { action: 'mute', participants: peersFor(orgId, session, ids).map(actionView) }
    },

    muteAll (orgId: string, meetingId: string) {
      const session = requireLive(orgId, meetingId)
      return { action: 'mute-all', muted_participants_count: session.live_participants }
    },

    poll (orgId: string, meetingId: string, body: { question: string, options: string[], anonymous?: boolean, hide_votes?: boolean }) {
      requireLive(orgId, meetingId)
      return {
        action: 'poll',
        poll: {
          id: ctx.newId(orgId),
          question: body.question,
          options: body.options.map((text) => ({ text, count: 0, votes: [] })),
          anonymous: body.anonymous ?? false,
          hide_votes: body.hide_votes ?? false,
          created_by: orgId,
          voted: [],
        },
      }
    },

    /** A signed export URL (chat.csv, transcript.<ext>, summary.md) of a session. */
    exportUrl: (orgId: string, session: Session, file: string) => exportUrl(orgId, session, file, ctx.clock.now(orgId)),

    /** POST /sessions/{id}/summary: only for an ended session. */
    summarize (orgId: string, session: Session) {
      if (session.status !== 'ENDED') throw badRequest(`Session ${session.id} is still LIVE: a summary is made once it has ended`)
      return store.tx(() => summarize(orgId, requireMeeting(orgId, session.associated_id), session, ctx.clock.now(orgId)))
    },

    /** Whether a summary of the session was generated (POST /sessions/{id}/summary or summarize_on_end). */
    hasSummary: (s: Session) => typeof s.meta[SUMMARY_AT] === 'string',

    /**
     * A session as the API shows it: without the simulator's own bookkeeping in meta, and, while
     * LIVE, with minutes and durations counted up to now on the org clock.
     */
    view (orgId: string, stored: Session): Session {
      const { [SUMMARY_AT]: _internal, ...meta } = stored.meta
      const s = { ...stored, meta }
      if (s.status !== 'LIVE') return s
      const nowMs = ctx.clock.now(orgId)
      const liveMinutes = store.sessions.peers(orgId, s.id).filter((p) => p.left_at === null)
        .reduce((sum, p) => sum + minutesBetween(p.joined_at, nowMs), 0)
      return { ...s, minutes_consumed: s.minutes_consumed + liveMinutes }
    },
    peerView (orgId: string, p: SessionPeer): SessionPeer {
      return p.left_at === null ? { ...p, duration: minutesBetween(p.joined_at, ctx.clock.now(orgId)) } : p
    },
  }
}

export type SessionSimulator = ReturnType<typeof createSessionSimulator>
