import type { Db } from './db.js'
import type { Schemas } from '../types.js'
import { json, like, pagedList, parse, statementCache, type Filter, type Page } from './query.js'

export type RecordingStatus = 'INVOKED' | 'RECORDING' | 'PAUSED' | 'UPLOADING' | 'UPLOADED' | 'ERRORED'
type StartReason = Schemas['Recording']['start_reason']
type StopReason = Schemas['Recording']['stop_reason']

export interface Recording {
  id: string
  meeting_id: string
  session_id: string | null
  status: RecordingStatus
  output_file_name: string
  download_url: string | null
  download_url_expiry: string | null
  audio_download_url: string | null
  file_size: number | null
  invoked_time: string
  started_time: string | null
  stopped_time: string | null
  recording_duration: number
  storage_config: Schemas['StorageConfig'] | null
  start_reason: StartReason
  stop_reason: StopReason | null
  /** The rest of the start body (video/audio config, max_seconds, ...), kept for the simulator. */
  config: Record<string, unknown>
  created_at: string
  updated_at: string
}

interface Row extends Omit<Recording, 'storage_config' | 'start_reason' | 'stop_reason' | 'config'> {
  storage_config: string | null, start_reason: string, stop_reason: string | null, config: string
}

const toRecording = (r: Row): Recording => ({
  id: r.id,
  meeting_id: r.meeting_id,
  session_id: r.session_id,
  status: r.status,
  output_file_name: r.output_file_name,
  download_url: r.download_url,
  download_url_expiry: r.download_url_expiry,
  audio_download_url: r.audio_download_url,
  file_size: r.file_size,
  invoked_time: r.invoked_time,
  started_time: r.started_time,
  stopped_time: r.stopped_time,
  recording_duration: r.recording_duration,
  storage_config: parse(r.storage_config) ?? null,
  start_reason: parse(r.start_reason),
  stop_reason: parse(r.stop_reason) ?? null,
  config: parse(r.config) ?? {},
  created_at: r.created_at,
  updated_at: r.updated_at,
})

const fields = ['session_id', 'status', 'output_file_name', 'download_url', 'download_url_expiry', 'audio_download_url', 'file_size',
  'invoked_time', 'started_time', 'stopped_time', 'recording_duration', 'storage_config', 'config', 'start_reason', 'stop_reason',
  'updated_at'] as const

const toRow = (r: Recording, orgId: string) => ({
  ...r,
  org_id: orgId,
  storage_config: json(r.storage_config),
  start_reason: JSON.stringify(r.start_reason ?? {}),
  stop_reason: json(r.stop_reason),
  config: JSON.stringify(r.config),
})

export const activeRecordingStatuses: RecordingStatus[] = ['INVOKED', 'RECORDING', 'PAUSED']

export interface RecordingFilters {
  meeting_id?: string, status?: RecordingStatus[], start_time?: string, end_time?: string, search?: string,
  sort_order?: 'ASC' | 'DESC', expired?: boolean, now?: string
}

export function createRecordingsRepo (db: Db) {
  const prepare = statementCache(db)
  const byId = db.prepare<[string, string], Row>('SELECT * FROM recordings WHERE org_id = ? AND id = ?')
  const activeByMeeting = db.prepare<[string, string], Row>(`SELECT * FROM recordings WHERE org_id = ? AND meeting_id = ?
    AND status IN (${activeRecordingStatuses.map((s) => `'${s}'`).join(', ')}) ORDER BY invoked_time DESC, seq DESC`)
  const insertStmt = db.prepare(`INSERT INTO recordings (id, org_id, meeting_id, ${fields.join(', ')}, created_at)
    VALUES (@id, @org_id, @meeting_id, ${fields.map((f) => '@' + f).join(', ')}, @created_at)`)
  const updateStmt = db.prepare(`UPDATE recordings SET ${fields.map((f) => `${f} = @${f}`).join(', ')}
    WHERE org_id = @org_id AND id = @id`)

  return {
    get (orgId: string, id: string) {
      const r = byId.get(orgId, id)
      return r && toRecording(r)
    },
    /** Recordings of the meeting that are INVOKED, RECORDING or PAUSED, newest first. */
    active: (orgId: string, meetingId: string) => activeByMeeting.all(orgId, meetingId).map(toRecording),
    insert (orgId: string, r: Recording) {
      insertStmt.run(toRow(r, orgId))
      return r
    },
    update (orgId: string, r: Recording) {
      updateStmt.run(toRow(r, orgId))
      return r
    },
    list (orgId: string, f: RecordingFilters, page: Page) {
      const filters: Filter[] = [['recordings.org_id = ?', orgId]]
      if (f.meeting_id) filters.push(['recordings.meeting_id = ?', f.meeting_id])
      if (f.status?.length) filters.push([`recordings.status IN (${f.status.map(() => '?').join(', ')})`, ...f.status])
      if (f.start_time) filters.push(['recordings.invoked_time >= ?', f.start_time])
      if (f.end_time) filters.push(['recordings.invoked_time <= ?', f.end_time])
      if (f.expired === true) filters.push(['(recordings.download_url_expiry IS NOT NULL AND recordings.download_url_expiry <= ?)', f.now])
      if (f.expired === false) filters.push(['(recordings.download_url_expiry IS NULL OR recordings.download_url_expiry > ?)', f.now])
      if (f.search) {
        filters.push([`(recordings.id LIKE ? ESCAPE '\\' OR recordings.meeting_id LIKE ? ESCAPE '\\' OR recordings.output_file_name LIKE ? ESCAPE '\\'
          OR recordings.meeting_id IN (SELECT id FROM meetings WHERE org_id = ? AND title LIKE ? ESCAPE '\\'))`,
        like(f.search), like(f.search), like(f.search), orgId, like(f.search)])
      }
      const dir = f.sort_order === 'ASC' ? 'ASC' : 'DESC'
      const { rows, paging } = pagedList<Row>(prepare, 'recordings', filters, `invoked_time ${dir}, seq ${dir}`, page)
      return { data: rows.map(toRecording), paging }
    },
  }
}
