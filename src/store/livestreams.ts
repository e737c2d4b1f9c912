import type { Db } from './db.js'
import { bool, int } from './query.js'

export type LivestreamStatus = 'INVOKED' | 'STARTING' | 'LIVE' | 'STOPPING' | 'IDLE' | 'OFFLINE' | 'ERRORED'

export interface Livestream {
  id: string
  meeting_id: string | null
  name: string | null
  status: LivestreamStatus
  ingest_server: string
  stream_key: string
  playback_url: string
  disabled: boolean
  created_at: string
  updated_at: string
}

type Row = Omit<Livestream, 'disabled'> & { disabled: number }
const toLivestream = (r: Row): Livestream => ({
  id: r.id,
  meeting_id: r.meeting_id,
  name: r.name,
  status: r.status,
  ingest_server: r.ingest_server,
  stream_key: r.stream_key,
  playback_url: r.playback_url,
  disabled: bool(r.disabled),
  created_at: r.created_at,
  updated_at: r.updated_at,
})

export const activeLivestreamStatuses: LivestreamStatus[] = ['INVOKED', 'STARTING', 'LIVE', 'STOPPING']

export function createLivestreamsRepo (db: Db) {
  const byId = db.prepare<[string, string], Row>('SELECT * FROM livestreams WHERE org_id = ? AND id = ?')
  const byMeeting = db.prepare<[string, string], Row>('SELECT * FROM livestreams WHERE org_id = ? AND meeting_id = ? ORDER BY seq DESC')
  const activeByMeeting = db.prepare<[string, string], Row>(`SELECT * FROM livestreams WHERE org_id = ? AND meeting_id = ?
    AND status IN (${activeLivestreamStatuses.map((s) => `'${s}'`).join(', ')}) ORDER BY seq DESC LIMIT 1`)
  const insertStmt = db.prepare(`INSERT INTO livestreams (id, org_id, meeting_id, name, status, ingest_server, stream_key, playback_url,
      disabled, created_at, updated_at)
    VALUES (@id, @org_id, @meeting_id, @name, @status, @ingest_server, @stream_key, @playback_url, @disabled, @created_at, @updated_at)`)
  const updateStmt = db.prepare(`UPDATE livestreams SET name = @name, status = @status, stream_key = @stream_key, disabled = @disabled,
      updated_at = @updated_at WHERE org_id = @org_id AND id = @id`)

  return {
    get (orgId: string, id: string) {
      const r = byId.get(orgId, id)
      return r && toLivestream(r)
    },
    /** Newest first. */
    ofMeeting: (orgId: string, meetingId: string) => byMeeting.all(orgId, meetingId).map(toLivestream),
    active (orgId: string, meetingId: string) {
      const r = activeByMeeting.get(orgId, meetingId)
      return r && toLivestream(r)
    },
    insert (orgId: string, l: Livestream) {
      insertStmt.run({ ...l, org_id: orgId, disabled: int(l.disabled) })
      return l
    },
    update (orgId: string, l: Livestream) {
      updateStmt.run({ ...l, org_id: orgId, disabled: int(l.disabled) })
      return l
    },
  }
}
