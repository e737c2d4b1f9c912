import type { Db } from './db.js'
import type { Schemas } from '../types.js'
import { bool, int, json, like, oneRow, pagedList, parse, statementCache, type Filter, type Page } from './query.js'

export type Meeting = Schemas['Meeting'] & { id: string, status: 'ACTIVE' | 'INACTIVE', created_at: string, updated_at: string }

interface Row {
  id: string, org_id: string, title: string | null, preferred_region: string | null,
  record_on_start: number, live_stream_on_start: number, persist_chat: number, summarize_on_end: number,
  transcribe_on_end: number, session_keep_alive_time_in_secs: number | null, status: string,
  recording_config: string | null, ai_config: string | null, created_at: string, updated_at: string
}

const toMeeting = (r: Row): Meeting => ({
  id: r.id,
  title: r.title ?? undefined,
  preferred_region: r.preferred_region,
  record_on_start: bool(r.record_on_start),
  live_stream_on_start: bool(r.live_stream_on_start),
  persist_chat: bool(r.persist_chat),
  summarize_on_end: bool(r.summarize_on_end),
  transcribe_on_end: bool(r.transcribe_on_end),
  session_keep_alive_time_in_secs: r.session_keep_alive_time_in_secs ?? undefined,
  status: r.status as Meeting['status'],
  recording_config: parse(r.recording_config),
  ai_config: parse(r.ai_config),
  created_at: r.created_at,
  updated_at: r.updated_at,
})

export interface MeetingFilters { search?: string, status?: string, start_time?: string, end_time?: string }

const columns = ['title', 'preferred_region', 'record_on_start', 'live_stream_on_start', 'persist_chat', 'summarize_on_end',
  'transcribe_on_end', 'session_keep_alive_time_in_secs', 'status', 'recording_config', 'ai_config'] as const

const toRow = (m: Meeting) => ({
  ...m,
  title: m.title ?? null,
  preferred_region: m.preferred_region ?? null,
  session_keep_alive_time_in_secs: m.session_keep_alive_time_in_secs ?? null,
  record_on_start: int(m.record_on_start),
  live_stream_on_start: int(m.live_stream_on_start),
  persist_chat: int(m.persist_chat),
  summarize_on_end: int(m.summarize_on_end),
  transcribe_on_end: int(m.transcribe_on_end),
  recording_config: json(m.recording_config),
  ai_config: json(m.ai_config),
})

/** RealtimeKit's spec allows a fractional keep-alive time; it is kept (and shown) in whole seconds. */
const normalised = (m: Meeting): Meeting =>
  m.session_keep_alive_time_in_secs == null ? m : { ...m, session_keep_alive_time_in_secs: Math.round(m.session_keep_alive_time_in_secs) }

export function createMeetingsRepo (db: Db) {
  const prepare = statementCache(db)
  const byId = db.prepare<[string, string], Row>('SELECT * FROM meetings WHERE org_id = ? AND id = ?')
  const insertStmt = db.prepare(`INSERT INTO meetings (id, org_id, ${columns.join(', ')}, created_at, updated_at)
    VALUES (@id, @org_id, ${columns.map((c) => '@' + c).join(', ')}, @created_at, @updated_at)`)
  const updateStmt = db.prepare(`UPDATE meetings SET ${columns.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updated_at
    WHERE org_id = @org_id AND id = @id`)

  return {
    get (orgId: string, id: string): Meeting | undefined {
      const r = oneRow<Row>(byId, [orgId, id])
      return r && toMeeting(r)
    },
    insert (orgId: string, given: Meeting) {
      const m = normalised(given)
      insertStmt.run({ ...toRow(m), org_id: orgId })
      return m
    },
    update (orgId: string, given: Meeting) {
      const m = normalised(given)
      updateStmt.run({ ...toRow(m), org_id: orgId })
      return m
    },
    list (orgId: string, f: MeetingFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (f.status) filters.push(['status = ?', f.status])
      if (f.start_time) filters.push(['created_at >= ?', f.start_time])
      if (f.end_time) filters.push(['created_at <= ?', f.end_time])
      if (f.search) filters.push(["(title LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')", like(f.search), like(f.search)])
      const { rows, paging } = pagedList<Row>(prepare, 'meetings', filters, 'created_at DESC, seq DESC', page)
      return { data: rows.map(toMeeting), paging }
    },
  }
}
