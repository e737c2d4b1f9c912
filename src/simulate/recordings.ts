// Recording lifecycle: INVOKED → RECORDING ⇄ PAUSED → UPLOADING → UPLOADED (ERRORED from any).
import { ApiError, badRequest, conflict } from '../errors.js'
import type { Context } from '../context.js'
import type { Schemas } from '../types.js'
import type { Recording } from '../store/recordings.js'
import { recordingActions } from './lifecycles.js'

export type StartRecordingBody = Schemas['StartRecordingRequest']

export function createRecordingSimulator (ctx: Context) {
  const { store } = ctx
  return {
    start (orgId: string, body: StartRecordingBody): Recording {
      return store.tx(() => {
        const meeting = store.meetings.get(orgId, body.meeting_id)
        if (!meeting) throw new ApiError(404, `No meeting found with id ${body.meeting_id}`)
        const active = store.recordings.active(orgId, meeting.id)
        if (active.length > 0 && !body.allow_multiple_recordings) {
          throw conflict(`Meeting ${meeting.id} already has an active recording (${active[0].id}); pass allow_multiple_recordings to start another`)
        }
        const nowMs = ctx.clock.now(orgId)
        const at = ctx.now(orgId)
        const { meeting_id: _m, storage_config, file_name_prefix, ...config } = body
        const prefix = file_name_prefix ? `${file_name_prefix}_` : ''
        return store.recordings.insert(orgId, {
          id: ctx.newId(),
          meeting_id: meeting.id,
          session_id: store.sessions.live(orgId, meeting.id)?.id ?? null,
          status: 'INVOKED',
          output_file_name: `${prefix}${meeting.id}_${nowMs}.mp4`,
          download_url: null,
          download_url_expiry: null,
          audio_download_url: null,
          file_size: null,
          invoked_time: at,
          started_time: null,
          stopped_time: null,
          recording_duration: 0,
          storage_config: storage_config ?? null,
          start_reason: { reason: 'API_CALL', caller: { type: 'ORGANIZATION' } },
          stop_reason: null,
          config: { ...config, file_name_prefix },
          created_at: at,
          updated_at: at,
        })
      })
    },

    act (orgId: string, recording: Recording, action: keyof typeof recordingActions): Recording {
      const rule = recordingActions[action]
      if (!(rule.from as readonly string[]).includes(recording.status)) {
        throw badRequest(`Cannot ${action} recording ${recording.id}: it is ${recording.status} (${action} needs ${rule.from.join(' or ')})`)
      }
      const at = ctx.now(orgId)
      const next: Recording = { ...recording, status: rule.to, updated_at: at }
      if (action === 'stop') {
        next.stopped_time = at
        next.stop_reason = { reason: 'API_CALL', caller: { type: 'ORGANIZATION' } }
      }
      return store.recordings.update(orgId, next)
    },
  }
}

export type RecordingSimulator = ReturnType<typeof createRecordingSimulator>
