// Livestream lifecycle for meetings: INVOKED → LIVE → IDLE (ERRORED on failure).
import { randomBytes } from 'node:crypto'
import { ApiError, conflict, notFoundMessage } from '../errors.js'
import type { Context } from '../context.js'
import type { Livestream } from '../store/livestreams.js'

export function createLivestreamSimulator (ctx: Context) {
  const { store } = ctx
  return {
    start (orgId: string, meetingId: string, body: { name?: string | null }): Livestream {
      return store.tx(() => {
        if (!store.meetings.get(orgId, meetingId)) throw new ApiError(404, `No meeting found with id ${meetingId}`)
        const active = store.livestreams.active(orgId, meetingId)
        if (active) throw conflict(`Meeting ${meetingId} is already being livestreamed (${active.id})`)
        const at = ctx.now(orgId)
        const id = ctx.newId()
        const channel = randomBytes(6).toString('hex')
        return store.livestreams.insert(orgId, {
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
      })
    },

    stop (orgId: string, meetingId: string): Livestream {
      return store.tx(() => {
        const active = store.livestreams.active(orgId, meetingId)
        if (!active) throw notFoundMessage(`No active livestream found for meeting_id ${meetingId}`)
        return store.livestreams.update(orgId, { ...active, status: 'IDLE', updated_at: ctx.now(orgId) })
      })
    },
  }
}

export type LivestreamSimulator = ReturnType<typeof createLivestreamSimulator>
