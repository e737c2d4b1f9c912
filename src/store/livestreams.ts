import type { Db } from './db.js'
import { bool, int, pagedList, statementCache, type Filter, type Page } from './query.js'

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
  const prepare = statementCache(db)
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
    list (orgId: string, f: LivestreamFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (f.exclude_meetings) filters.push(['meeting_id IS NULL'])
      const statuses = typeof f.status === 'string' ? [f.status] : f.status ?? []
      if (statuses.length) filters.push([`status IN (${statuses.map(() => '?').join(', ')})`, ...statuses])
      if (f.start_time) filters.push(['created_at >= ?', f.start_time])
      if (f.end_time) filters.push(['created_at <= ?', f.end_time])
      const dir = f.sort_order === 'ASC' ? 'ASC' : 'DESC'
      const r = pagedList<Row>(prepare, 'livestreams', filters, `seq ${dir}`, page)
      return { data: r.rows.map(toLivestream), paging: r.paging }
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

export interface LivestreamSession {
  id: string
  livestream_id: string
  meeting_session_id: string | null
  err_message: string | null
  invoked_time: string
  started_time: string | null
  stopped_time: string | null
  ingest_seconds: number
  viewer_seconds: number
  created_at: string
  updated_at: string
}

export interface LivestreamFilters { exclude_meetings?: boolean, status?: string | string[], start_time?: string, end_time?: string, sort_order?: 'ASC' | 'DSC' | 'DESC' }

export function createLivestreamSessionsRepo (db: Db) {
  const prepare = statementCache(db)
  const insert = db.prepare(`INSERT INTO livestream_sessions (id, org_id, livestream_id, meeting_session_id, err_message, invoked_time, started_time,
      stopped_time, ingest_seconds, viewer_seconds, created_at, updated_at) VALUES (@id, @org_id, @livestream_id, @meeting_session_id, @err_message,
      @invoked_time, @started_time, @stopped_time, @ingest_seconds, @viewer_seconds, @created_at, @updated_at)`)
  const update = db.prepare(`UPDATE livestream_sessions SET started_time = @started_time, stopped_time = @stopped_time, ingest_seconds = @ingest_seconds,
      err_message = @err_message, updated_at = @updated_at WHERE org_id = @org_id AND id = @id`)
  const byId = db.prepare<[string, string], LivestreamSession>('SELECT * FROM livestream_sessions WHERE org_id = ? AND id = ?')
  const open = db.prepare<[string, string], LivestreamSession>(
    'SELECT * FROM livestream_sessions WHERE org_id = ? AND livestream_id = ? AND stopped_time IS NULL ORDER BY seq DESC LIMIT 1')
  const strip = ({ seq: _s, org_id: _o, ...r }: LivestreamSession & { seq: number, org_id: string }) => r as LivestreamSession
  return {
    insert: (orgId: string, s: LivestreamSession) => { insert.run({ ...s, org_id: orgId }); return s },
    update: (orgId: string, s: LivestreamSession) => { update.run({ ...s, org_id: orgId }); return s },
    get: (orgId: string, id: string) => byId.get(orgId, id),
    /** The livestream's session that has not stopped, if any. */
    open: (orgId: string, livestreamId: string) => open.get(orgId, livestreamId),
    ofLivestream (orgId: string, livestreamId: string, page: Page) {
      const r = pagedList<LivestreamSession & { seq: number, org_id: string }>(prepare, 'livestream_sessions', [['org_id = ?', orgId], ['livestream_id = ?', livestreamId]], 'seq DESC', page)
      return { data: r.rows.map(strip), paging: r.paging }
    },
    ofMeetingSession (orgId: string, sessionId: string, page: Page) {
      const r = pagedList<LivestreamSession & { seq: number, org_id: string }>(prepare, 'livestream_sessions', [['org_id = ?', orgId], ['meeting_session_id = ?', sessionId]], 'seq DESC', page)
      return { data: r.rows.map(strip), paging: r.paging }
    },
    /** Totals over sessions invoked in [from, to), and the same per UTC day. */
    totals: (orgId: string, from: string, to: string) => prepare(`SELECT count(*) AS count, coalesce(sum(ingest_seconds), 0) AS total_ingest_seconds,
        coalesce(sum(viewer_seconds), 0) AS total_viewer_seconds FROM livestream_sessions WHERE org_id = ? AND invoked_time >= ? AND invoked_time < ?`)
      .get(orgId, from, to) as { count: number, total_ingest_seconds: number, total_viewer_seconds: number },
    days: (orgId: string, from: string, to: string) => prepare(`SELECT substr(invoked_time, 1, 10) AS date, count(*) AS count,
        sum(ingest_seconds) AS total_ingest_seconds, sum(viewer_seconds) AS total_viewer_seconds FROM livestream_sessions
        WHERE org_id = ? AND invoked_time >= ? AND invoked_time < ? GROUP BY date ORDER BY date`)
      .all(orgId, from, to) as { date: string, count: number, total_ingest_seconds: number, total_viewer_seconds: number }[],
  }
}
