// Recording lifecycle: INVOKED → RECORDING ⇄ PAUSED → UPLOADING → UPLOADED, ERRORED from any
// unfinished state. The start and upload delays run on the org's clock (/_mock/settings).
import type { Reached } from './coverage.js'
import { badRequest, conflict, found } from '../errors.js'
import type { Schemas } from '../types.js'
import type { Store } from '../store/index.js'
import type { Recording, RecordingStatus } from '../store/recordings.js'
import { iso, type Clock } from './clock.js'
import { meetingBlock, recordingBlock, webhookFormat, type Emit } from './events.js'
import { recordingActions, recordingEdges } from './lifecycles.js'
import type { Files } from './files.js'
import type { NewId } from './ids.js'
import type { Scheduler } from './scheduler.js'
import type { SettingsStore } from './settings.js'

export type StartRecordingBody = Omit<Schemas['StartRecordingRequest'], 'allow_multiple_recordings'> & { allow_multiple_recordings?: boolean }
type Reason = NonNullable<Recording['stop_reason']>

const byApi = { reason: 'API_CALL', caller: { type: 'ORGANIZATION' } } as const

/** Who started a recording: an API call (a participant's, when their token authenticated it), or record_on_start. */
export type StartedBy = { reason: 'API_CALL', participant?: { id: string, name: string | null } } | { reason: 'RECORD_ON_START' }

export interface RecordingDeps { store: Store, clock: Clock, scheduler: Scheduler, settings: SettingsStore, emit: Emit, newId: NewId, files: Files, reached: Reached }

export function createRecordingSimulator (ctx: RecordingDeps) {
  const { store, files } = ctx

  /** Moves a recording to `status`, checking the lifecycle, and records the event. */
  function move (orgId: string, r: Recording, status: RecordingStatus, atMs: number, changes: Partial<Recording> = {}) {
    if (!recordingEdges[r.status].includes(status)) {
      throw badRequest(`Recording ${r.id} is ${r.status} and cannot become ${status}`)
    }
    const next = store.recordings.update(orgId, { ...r, ...changes, status, updated_at: iso(atMs) })
    ctx.reached(orgId, 'recording', status)
    const meeting = store.meetings.get(orgId, next.meeting_id)
    const session = next.session_id ? store.sessions.get(orgId, next.session_id) : undefined
    ctx.emit(orgId, 'recording.statusUpdate', atMs, { meeting_id: next.meeting_id, session_id: next.session_id ?? undefined }, {
      recording: recordingBlock(orgId, next, files.absolute, webhookFormat(store, orgId), files.recordingSize('video')),
      meeting: meeting && meetingBlock(ctx, orgId, meeting, session),
    })
    return next
  }

  /** Seconds recorded so far: pauses excluded. */
  const recordedSeconds = (r: Recording, atMs: number) => {
    const since = r.config.recording_since_ms as number | undefined
    return r.recording_duration + (r.status === 'RECORDING' && since !== undefined ? Math.round((atMs - since) / 1000) : 0)
  }

  function stop (orgId: string, r: Recording, reason: Reason, atMs: number) {
    ctx.scheduler.cancel(orgId, r.id, 'recording.start')
    const next = move(orgId, r, 'UPLOADING', atMs, {
      stopped_time: iso(atMs),
      stop_reason: reason,
      recording_duration: recordedSeconds(r, atMs),
      config: { ...r.config, recording_since_ms: undefined },
    })
    ctx.scheduler.schedule(orgId, atMs + ctx.settings.get(orgId).recording_upload_delay_s * 1000, 'recording.upload', r.id)
    return next
  }

  ctx.scheduler.on('recording.start', (orgId, id, atMs) => {
    const r = store.recordings.get(orgId, id)
    if (r?.status !== 'INVOKED') return
    move(orgId, r, 'RECORDING', atMs, {
      started_time: iso(atMs),
      session_id: store.sessions.live(orgId, r.meeting_id)?.id ?? r.session_id,
      config: { ...r.config, recording_since_ms: atMs },
    })
  })

  ctx.scheduler.on('recording.upload', (orgId, id, atMs) => {
    const r = store.recordings.get(orgId, id)
    if (r?.status !== 'UPLOADING') return
    const expiresMs = atMs + ctx.settings.get(orgId).download_url_ttl_s * 1000
    const withAudio = r.config.audio_config !== undefined
    move(orgId, r, 'UPLOADED', atMs, {
      download_url: files.recordingPath(orgId, r.id, 'video', expiresMs),
      audio_download_url: withAudio ? files.recordingPath(orgId, r.id, 'audio', expiresMs) : null,
      download_url_expiry: iso(expiresMs),
      file_size: files.recordingSize('video'),
    })
  })

  return {
    /** `startReason`: the API call of the org (the default) or of a participant (their token), or the meeting's record_on_start. */
    start (orgId: string, body: StartRecordingBody, startReason: StartedBy = { reason: 'API_CALL' }, atMs = ctx.clock.now(orgId)): Recording {
      return store.tx(() => {
        const meeting = found(store.meetings.get(orgId, body.meeting_id), 'meeting', body.meeting_id)
        const active = store.recordings.active(orgId, meeting.id)
        if (active.length > 0 && !body.allow_multiple_recordings) {
          throw conflict(`Meeting ${meeting.id} already has an active recording (${active[0].id}); pass allow_multiple_recordings to start another`)
        }
        const at = iso(atMs)
        const { meeting_id: _m, storage_config, file_name_prefix, ...config } = body
        const prefix = file_name_prefix ? `${file_name_prefix}_` : ''
        const id = ctx.newId(orgId)
        const r = store.recordings.insert(orgId, {
          id,
          meeting_id: meeting.id,
          session_id: null,
          status: 'INVOKED',
          output_file_name: `${prefix}${meeting.id}_${atMs}.mp4`,
          download_url: null,
          download_url_expiry: null,
          audio_download_url: null,
          file_size: null,
          invoked_time: at,
          started_time: null,
          stopped_time: null,
          recording_duration: 0,
          storage_config: storage_config ?? null,
          start_reason: startReason.reason === 'RECORD_ON_START'
            ? { reason: 'RECORD_ON_START' }
            : startReason.participant
              ? { reason: 'API_CALL', caller: { type: 'USER', user_Id: startReason.participant.id, ...(startReason.participant.name ? { name: startReason.participant.name } : {}) } }
              : byApi,
          stop_reason: null,
          config: { ...config, file_name_prefix },
          created_at: at,
          updated_at: at,
        })
        const session = store.sessions.live(orgId, meeting.id)
        ctx.reached(orgId, 'recording', 'INVOKED')
        ctx.emit(orgId, 'recording.statusUpdate', atMs, { meeting_id: meeting.id, session_id: session?.id }, {
          recording: recordingBlock(orgId, r, files.absolute, webhookFormat(store, orgId)),
          meeting: meetingBlock(ctx, orgId, meeting, session),
        })
        ctx.scheduler.schedule(orgId, atMs + ctx.settings.get(orgId).recording_start_delay_s * 1000, 'recording.start', id)
        return r
      })
    },

    /** PUT /recordings/{id} {action}. */
    act (orgId: string, r: Recording, action: keyof typeof recordingActions): Recording {
      const rule = recordingActions[action]
      if (!(rule.from as readonly string[]).includes(r.status)) {
        throw badRequest(`Cannot ${action} recording ${r.id}: it is ${r.status} (${action} needs ${rule.from.join(' or ')})`)
      }
      return store.tx(() => {
        const atMs = ctx.clock.now(orgId)
        if (action === 'stop') return stop(orgId, r, byApi, atMs)
        if (action === 'pause') {
          return move(orgId, r, 'PAUSED', atMs, { recording_duration: recordedSeconds(r, atMs), config: { ...r.config, recording_since_ms: undefined } })
        }
        return move(orgId, r, 'RECORDING', atMs, { config: { ...r.config, recording_since_ms: atMs } })
      })
    },

    stop (orgId: string, r: Recording, reason: Reason, atMs: number) {
      return store.tx(() => stop(orgId, r, reason, atMs))
    },

    /** POST /_mock/recordings/{id}/fail: an unfinished recording becomes ERRORED. */
    fail (orgId: string, recordingId: string) {
      const r = found(store.recordings.get(orgId, recordingId), 'recording', recordingId)
      if (r.status === 'UPLOADED' || r.status === 'ERRORED') throw badRequest(`Recording ${r.id} is ${r.status} and cannot fail any more`)
      return store.tx(() => {
        const atMs = ctx.clock.now(orgId)
        ctx.scheduler.cancel(orgId, r.id, 'recording.start')
        ctx.scheduler.cancel(orgId, r.id, 'recording.upload')
        return move(orgId, r, 'ERRORED', atMs, {
          stopped_time: r.stopped_time ?? iso(atMs),
          recording_duration: recordedSeconds(r, atMs),
          stop_reason: r.stop_reason ?? { reason: 'INTERNAL_ERROR' }, // the platform's own failure: no caller
        })
      })
    },
  }
}

export type RecordingSimulator = ReturnType<typeof createRecordingSimulator>
