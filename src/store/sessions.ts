import type { Db } from './db.js'
import { like, pagedList, parse, statementCache, type Filter, type Page } from './query.js'

export interface Session {
  id: string
  associated_id: string
  meeting_display_name: string | null
  type: 'meeting' | 'livestream' | 'participant'
  status: 'LIVE' | 'ENDED'
  live_participants: number
  max_concurrent_participants: number
  minutes_consumed: number
  organization_id: string
  started_at: string
  ended_at: string | null
  created_at: string
  updated_at: string
  meta: Record<string, unknown>
  breakout_rooms: unknown[]
}

export interface SessionPeer {
  id: string
  participant_id: string
  session_id: string
  display_name: string | null
  picture: string | null
  preset_name: string
  custom_participant_id: string
  joined_at: string
  left_at: string | null
  duration: number
  created_at: string
  updated_at: string
}

interface Row {
  id: string, org_id: string, meeting_id: string, meeting_display_name: string | null, type: string, status: string,
  live_participants: number, max_concurrent_participants: number, minutes_consumed: number,
  started_at: string, ended_at: string | null, created_at: string, updated_at: string, meta: string | null
}

const toSession = (r: Row): Session => ({
  id: r.id,
  associated_id: r.meeting_id,
  meeting_display_name: r.meeting_display_name,
  type: r.type as Session['type'],
  status: r.status as Session['status'],
  live_participants: r.live_participants,
  max_concurrent_participants: r.max_concurrent_participants,
  minutes_consumed: r.minutes_consumed,
  organization_id: r.org_id,
  started_at: r.started_at,
  ended_at: r.ended_at,
  created_at: r.created_at,
  updated_at: r.updated_at,
  meta: parse<Record<string, unknown>>(r.meta) ?? {},
  breakout_rooms: [],
})

export interface SessionFilters {
  meeting_id?: string, status?: string, start_time?: string, end_time?: string, search?: string,
  sort_by?: 'minutesConsumed' | 'createdAt', sort_order?: 'ASC' | 'DESC', participants_min?: number, participants_max?: number
  /** The org's current time: a LIVE session's minutes count up to it (for sorting by minutes). */
  now: string
}
export interface PeerFilters {
  search?: string, sort_by?: 'joinedAt' | 'duration', sort_order?: 'ASC' | 'DESC'
  /** The org's current time: a present peer's duration counts up to it (for sorting by duration). */
  now: string
}

export interface DayStat { day: string, count: number, minutes: number }

export function createSessionsRepo (db: Db) {
  const sessionDays = db.prepare<[string, string, string], DayStat>(`SELECT substr(started_at, 1, 10) AS day, count(*) AS count,
      sum(minutes_consumed) AS minutes FROM sessions WHERE org_id = ? AND started_at >= ? AND started_at < ? GROUP BY day ORDER BY day`)
  const recordingDays = db.prepare<[string, string, string], DayStat>(`SELECT substr(invoked_time, 1, 10) AS day, count(*) AS count,
      sum(recording_duration) / 60.0 AS minutes FROM recordings WHERE org_id = ? AND invoked_time >= ? AND invoked_time < ? GROUP BY day ORDER BY day`)
  const prepare = statementCache(db)
  const byId = db.prepare<[string, string], Row>('SELECT * FROM sessions WHERE org_id = ? AND id = ?')
  const liveByMeeting = db.prepare<[string, string], Row>(
    "SELECT * FROM sessions WHERE org_id = ? AND meeting_id = ? AND status = 'LIVE' ORDER BY started_at DESC LIMIT 1")
  const insertStmt = db.prepare(`INSERT INTO sessions (id, org_id, meeting_id, meeting_display_name, type, status, live_participants,
      max_concurrent_participants, minutes_consumed, started_at, ended_at, created_at, updated_at, meta)
    VALUES (@id, @organization_id, @associated_id, @meeting_display_name, @type, @status, @live_participants,
      @max_concurrent_participants, @minutes_consumed, @started_at, @ended_at, @created_at, @updated_at, @meta)`)
  const updateStmt = db.prepare(`UPDATE sessions SET status = @status, live_participants = @live_participants,
      max_concurrent_participants = @max_concurrent_participants, minutes_consumed = @minutes_consumed,
      ended_at = @ended_at, updated_at = @updated_at, meta = @meta
    WHERE org_id = @organization_id AND id = @id`)
  const peerById = db.prepare<[string, string, string], SessionPeer>(
    'SELECT * FROM session_participants WHERE org_id = ? AND session_id = ? AND id = ?')
  const insertPeer = db.prepare(`INSERT INTO session_participants (id, org_id, session_id, participant_id, display_name, picture,
      preset_name, custom_participant_id, joined_at, left_at, duration, created_at, updated_at)
    VALUES (@id, @org_id, @session_id, @participant_id, @display_name, @picture, @preset_name, @custom_participant_id,
      @joined_at, @left_at, @duration, @created_at, @updated_at)`)
  const updatePeer = db.prepare(`UPDATE session_participants SET left_at = @left_at, duration = @duration, updated_at = @updated_at
    WHERE org_id = @org_id AND id = @id`)
  const peerAnywhere = db.prepare<[string, string], SessionPeer>('SELECT * FROM session_participants WHERE org_id = ? AND id = ?')
  const peersOf = db.prepare<[string, string], SessionPeer>(
    'SELECT * FROM session_participants WHERE org_id = ? AND session_id = ? ORDER BY joined_at, seq')

  // A LIVE session's minutes include those of the people still in it, up to now (bound as ?).
  const liveMinutes = `(minutes_consumed + (SELECT coalesce(sum((julianday(?) - julianday(sp.joined_at)) * 1440), 0)
    FROM session_participants sp WHERE sp.org_id = sessions.org_id AND sp.session_id = sessions.id AND sp.left_at IS NULL))`
  // A present peer's duration counts up to now (bound as ?), as the API shows it.
  const liveDuration = 'CASE WHEN left_at IS NULL THEN max(0, (julianday(?) - julianday(joined_at)) * 1440) ELSE duration END'

  return {
    /** Sessions and recordings per UTC day, for days in [from, to). Ended sessions count their final minutes. */
    dayStats: (orgId: string, from: string, to: string) => ({ sessions: sessionDays.all(orgId, from, to), recordings: recordingDays.all(orgId, from, to) }),
    get (orgId: string, id: string) {
      const r = byId.get(orgId, id)
      return r && toSession(r)
    },
    live (orgId: string, meetingId: string) {
      const r = liveByMeeting.get(orgId, meetingId)
      return r && toSession(r)
    },
    insert (s: Session) {
      insertStmt.run({ ...s, meta: JSON.stringify(s.meta) })
      return s
    },
    update (s: Session) {
      updateStmt.run({ ...s, meta: JSON.stringify(s.meta) })
      return s
    },
    list (orgId: string, f: SessionFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (f.meeting_id) filters.push(['meeting_id = ?', f.meeting_id])
      if (f.status) filters.push(['status = ?', f.status])
      if (f.start_time) filters.push(['started_at >= ?', f.start_time])
      if (f.end_time) filters.push(['started_at <= ?', f.end_time])
      if (f.participants_min !== undefined) filters.push(['max_concurrent_participants >= ?', f.participants_min])
      if (f.participants_max !== undefined) filters.push(['max_concurrent_participants <= ?', f.participants_max])
      if (f.search) {
        filters.push(["(meeting_display_name LIKE ? ESCAPE '\\' OR meeting_id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')", like(f.search), like(f.search), like(f.search)])
      }
      const dir = f.sort_order === 'ASC' ? 'ASC' : 'DESC'
      const byMinutes = f.sort_by === 'minutesConsumed'
      const order = `${byMinutes ? liveMinutes : 'started_at'} ${dir}, seq ${dir}`
      const { rows, paging } = pagedList<Row>(prepare, 'sessions', filters, order, page, byMinutes ? [f.now] : [])
      return { data: rows.map(toSession), paging }
    },
    peer: (orgId: string, sessionId: string, id: string) => peerById.get(orgId, sessionId, id),
    /** A peer of any session of the org. */
    peerById: (orgId: string, id: string) => peerAnywhere.get(orgId, id),
    peers: (orgId: string, sessionId: string) => peersOf.all(orgId, sessionId),
    insertPeer (orgId: string, p: SessionPeer) {
      insertPeer.run({ ...p, org_id: orgId })
      return p
    },
    updatePeer (orgId: string, p: SessionPeer) {
      updatePeer.run({ ...p, org_id: orgId })
      return p
    },
    listPeers (orgId: string, sessionId: string, f: PeerFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId], ['session_id = ?', sessionId]]
      if (f.search) {
        filters.push(["(display_name LIKE ? ESCAPE '\\' OR custom_participant_id LIKE ? ESCAPE '\\')", like(f.search), like(f.search)])
      }
      const dir = f.sort_order === 'DESC' ? 'DESC' : 'ASC'
      const byDuration = f.sort_by === 'duration'
      const order = `${byDuration ? liveDuration : 'joined_at'} ${dir}, seq ${dir}`
      const { rows, paging } = pagedList<SessionPeer & { seq: number, org_id: string }>(prepare, 'session_participants', filters, order, page,
        byDuration ? [f.now] : [])
      return { data: rows.map(({ seq: _s, org_id: _o, ...p }) => p), paging }
    },
  }
}
