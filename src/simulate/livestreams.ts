// Livestreams of meetings: INVOKED → LIVE after a start delay; stop → STOPPING → IDLE after a
// stop delay. Both delays run on the org's clock (/_mock/settings). Independent livestreams
// (POST /livestreams) wait IDLE for an RTMP encoder, which the control plane stands in for.
// Every period live is a livestream session.
import type { Reached } from './coverage.js'
import { badRequest, conflict, found, notFoundMessage } from '../errors.js'
import type { Store } from '../store/index.js'
import type { Livestream, LivestreamStatus } from '../store/livestreams.js'
import { iso, type Clock } from './clock.js'
import { livestreamPayload, type Emit } from './events.js'
import type { NewId, SecretBytes } from './ids.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'

export interface LivestreamDeps {
  store: Store, clock: Clock, scheduler: Scheduler, settings: SettingsStore, emit: Emit, newId: NewId, secretBytes: SecretBytes, reached: Reached
}

export function createLivestreamSimulator (ctx: LivestreamDeps) {
  const { store } = ctx
  const now = (orgId: string) => iso(ctx.clock.now(orgId))

  function move (orgId: string, l: Livestream, status: LivestreamStatus, atMs: number, announce = true) {
    const next = store.livestreams.update(orgId, { ...l, status, updated_at: iso(atMs) })
    ctx.reached(orgId, 'livestream', status)
    if (announce) {
      const meeting = l.meeting_id ? store.meetings.get(orgId, l.meeting_id) : undefined
      ctx.emit(orgId, 'livestreaming.statusUpdate', atMs, { meeting_id: l.meeting_id ?? undefined }, livestreamPayload(ctx, orgId, next, status, meeting))
    }
    return next
  }

  /** Opens a livestream session (invoked now; started now when `live`). */
  function openSession (orgId: string, l: Livestream, atMs: number, live: boolean) {
    const at = iso(atMs)
    const meetingSession = l.meeting_id ? store.sessions.live(orgId, l.meeting_id) : undefined
    store.livestreamSessions.insert(orgId, {
      id: ctx.newId(orgId), livestream_id: l.id, meeting_session_id: meetingSession?.id ?? null, err_message: null,
      invoked_time: at, started_time: live ? at : null, stopped_time: null, ingest_seconds: 0, viewer_seconds: 0, created_at: at, updated_at: at,
    })
  }
  function startSession (orgId: string, l: Livestream, atMs: number) {
    const s = store.livestreamSessions.open(orgId, l.id)
    if (s) store.livestreamSessions.update(orgId, { ...s, started_time: iso(atMs), updated_at: iso(atMs) })
  }
  function closeSession (orgId: string, l: Livestream, atMs: number) {
    const s = store.livestreamSessions.open(orgId, l.id)
    if (!s) return
    const ingest = s.started_time ? Math.round((atMs - Date.parse(s.started_time)) / 1000) : 0
    store.livestreamSessions.update(orgId, { ...s, stopped_time: iso(atMs), ingest_seconds: ingest, updated_at: iso(atMs) })
  }

  ctx.scheduler.on('livestream.live', (orgId, id, atMs) => {
    const l = store.livestreams.get(orgId, id)
    if (l?.status !== 'INVOKED') return
    startSession(orgId, l, atMs)
    move(orgId, l, 'LIVE', atMs)
  })
  ctx.scheduler.on('livestream.idle', (orgId, id, atMs) => {
    const l = store.livestreams.get(orgId, id)
    if (l?.status !== 'STOPPING') return
    closeSession(orgId, l, atMs)
    move(orgId, l, 'IDLE', atMs)
  })

  const newStreamKey = (orgId: string) => `sk_us-east-1_${ctx.secretBytes(orgId, 18).toString('base64url')}`
  function create (orgId: string, meetingId: string | null, name: string | null | undefined, status: LivestreamStatus, atMs: number) {
    const at = iso(atMs)
    const id = ctx.newId(orgId)
    const channel = ctx.secretBytes(orgId, 6).toString('hex')
    ctx.reached(orgId, 'livestream', status)
    return store.livestreams.insert(orgId, {
      id,
      meeting_id: meetingId,
      name: name ?? null,
      status,
      ingest_server: `rtmps://${channel}.global-contribute.live-video.net:443/app/`,
      stream_key: newStreamKey(orgId),
      playback_url: `https://${channel}.us-east-1.playback.live-video.net/api/video/v1/us-east-1.${channel}.channel.${id.slice(0, 12)}.m3u8`,
      disabled: false,
      created_at: at,
      updated_at: at,
    })
  }

  return {
    start (orgId: string, meetingId: string, body: { name?: string | null }, atMs = ctx.clock.now(orgId)): Livestream {
      return store.tx(() => {
        found(store.meetings.get(orgId, meetingId), 'meeting', meetingId)
        const active = store.livestreams.active(orgId, meetingId)
        if (active) throw conflict(`Meeting ${meetingId} is already being livestreamed (${active.id})`)
        const l = create(orgId, meetingId, body.name, 'INVOKED', atMs)
        openSession(orgId, l, atMs, false)
        ctx.scheduler.schedule(orgId, atMs + ctx.settings.get(orgId).livestream_start_delay_s * 1000, 'livestream.live', l.id)
        return l
      })
    },

    /** Stops the meeting's active livestream; `quiet` skips the 404 when there is none. */
    stop (orgId: string, meetingId: string, atMs = ctx.clock.now(orgId), opts: { quiet?: boolean } = {}): Livestream | undefined {
      return store.tx(() => {
        const active = store.livestreams.active(orgId, meetingId)
        if (!active) {
          if (opts.quiet) return undefined
          throw notFoundMessage(`No active livestream found for meeting_id ${meetingId}`)
        }
        if (active.status === 'STOPPING') return active
        ctx.scheduler.cancel(orgId, active.id, 'livestream.live')
        ctx.scheduler.schedule(orgId, atMs + ctx.settings.get(orgId).livestream_stop_delay_s * 1000, 'livestream.idle', active.id)
        return move(orgId, active, 'STOPPING', atMs, false)
      })
    },

    /** POST /livestreams: a livestream of the org's own (no meeting), IDLE until an encoder connects. */
    createIndependent (orgId: string, body: { name?: string | null }) {
      return store.tx(() => create(orgId, null, body.name, 'IDLE', ctx.clock.now(orgId)))
    },

    /** POST /_mock/livestreams/{id}/ingest: an RTMP encoder connects (live) or disconnects. */
    ingest (orgId: string, livestreamId: string, live: boolean) {
      const l = found(store.livestreams.get(orgId, livestreamId), 'livestream', livestreamId)
      return store.tx(() => {
        const atMs = ctx.clock.now(orgId)
        if (live) {
          if (l.disabled) throw badRequest(`Livestream ${l.id} is disabled: enable it before streaming to it`)
          if (l.status === 'LIVE') throw badRequest(`Livestream ${l.id} is already LIVE`)
          openSession(orgId, l, atMs, true)
          return move(orgId, l, 'LIVE', atMs)
        }
        if (l.status !== 'LIVE') throw badRequest(`Livestream ${l.id} is ${l.status}, not LIVE`)
        closeSession(orgId, l, atMs)
        return move(orgId, l, 'IDLE', atMs)
      })
    },

    setDisabled: (orgId: string, l: Livestream, disabled: boolean) =>
      store.livestreams.update(orgId, { ...l, disabled, updated_at: now(orgId) }),

    resetStreamKey: (orgId: string, l: Livestream) =>
      store.livestreams.update(orgId, { ...l, stream_key: newStreamKey(orgId), updated_at: now(orgId) }),
  }
}

export type LivestreamSimulator = ReturnType<typeof createLivestreamSimulator>
