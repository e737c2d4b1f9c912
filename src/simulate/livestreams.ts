// Livestreams of meetings: INVOKED → LIVE after a start delay; stop → STOPPING → IDLE after a
// stop delay. Both delays run on the org's clock (/_mock/settings).
import { randomBytes } from 'node:crypto'
import { conflict, notFound, notFoundMessage } from '../errors.js'
import type { Context } from '../context.js'
import type { Livestream, LivestreamStatus } from '../store/livestreams.js'
import { iso } from './clock.js'
import { livestreamPayload } from './events.js'

export function createLivestreamSimulator (ctx: Context) {
  const { store } = ctx

  function move (orgId: string, l: Livestream, status: LivestreamStatus, atMs: number, announce = true) {
    const next = store.livestreams.update(orgId, { ...l, status, updated_at: iso(atMs) })
    if (announce) {
      const meeting = l.meeting_id ? store.meetings.get(orgId, l.meeting_id) : undefined
      ctx.emit(orgId, 'livestreaming.statusUpdate', atMs, { meeting_id: l.meeting_id ?? undefined }, livestreamPayload(orgId, next, status, meeting))
    }
    return next
  }

  ctx.scheduler.on('livestream.live', (orgId, id, atMs) => {
    const l = store.livestreams.get(orgId, id)
    if (l?.status === 'INVOKED') move(orgId, l, 'LIVE', atMs)
  })
  ctx.scheduler.on('livestream.idle', (orgId, id, atMs) => {
    const l = store.livestreams.get(orgId, id)
    if (l?.status === 'STOPPING') move(orgId, l, 'IDLE', atMs)
  })

  return {
    start (orgId: string, meetingId: string, body: { name?: string | null }, atMs = ctx.clock.now(orgId)): Livestream {
      return store.tx(() => {
        if (!store.meetings.get(orgId, meetingId)) throw notFound('meeting', meetingId)
        const active = store.livestreams.active(orgId, meetingId)
        if (active) throw conflict(`Meeting ${meetingId} is already being livestreamed (${active.id})`)
        const at = iso(atMs)
        const id = ctx.newId(orgId)
        const channel = randomBytes(6).toString('hex')
        const l = store.livestreams.insert(orgId, {
          id,
          meeting_id: meetingId,
          name: body.name ?? null,
          status: 'INVOKED',
          ingest_server: `rtmps://${channel}.global-contribute.live-video.net:443/app/`,
          stream_key: `sk_us-east-1_${randomBytes(18).toString('base64url')}`,
          playback_url: `https://${channel}.us-east-1.playback.live-video.net/api/video/v1/us-east-1.${channel}.channel.${id.slice(0, 12)}.m3u8`,
          disabled: false,
          created_at: at,
          updated_at: at,
        })
        ctx.scheduler.schedule(orgId, atMs + ctx.settings.get(orgId).livestream_start_delay_s * 1000, 'livestream.live', id)
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
  }
}

export type LivestreamSimulator = ReturnType<typeof createLivestreamSimulator>
