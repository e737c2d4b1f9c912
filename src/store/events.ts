import type { Db } from './db.js'
import { pagedList, statementCache, type Filter, type Page } from './query.js'

export interface StoredEvent {
  id: string
  type: string
  meeting_id: string | null
  session_id: string | null
  at: string
  payload: Record<string, unknown>
}

export interface EventFilters { type?: string, meeting_id?: string, session_id?: string, since?: string, until?: string }

type Row = Omit<StoredEvent, 'payload'> & { payload: string, seq: number }
const toEvent = (r: Row): StoredEvent & { seq: number } => ({ ...r, payload: JSON.parse(r.payload) })

export function createEventsRepo (db: Db) {
  const prepare = statementCache(db)
  const insert = db.prepare(`INSERT INTO events (id, org_id, type, meeting_id, session_id, at, payload)
    VALUES (@id, @org_id, @type, @meeting_id, @session_id, @at, @payload)`)
  const lastSeq = db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM events WHERE org_id = ?')
  const after = db.prepare<[string, number], Row>('SELECT * FROM events WHERE org_id = ? AND seq > ? ORDER BY seq')
  return {
    lastSeq: (orgId: string) => lastSeq.get(orgId)?.seq ?? 0,
    /** Events recorded after the given sequence number, oldest first. */
    after: (orgId: string, seq: number) => after.all(orgId, seq).map(toEvent),
    insert (orgId: string, e: StoredEvent) {
      insert.run({ ...e, org_id: orgId, payload: JSON.stringify(e.payload) })
      return e
    },
    /** Oldest first: the order in which they happened. */
    list (orgId: string, f: EventFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (f.type) filters.push(['type = ?', f.type])
      if (f.meeting_id) filters.push(['meeting_id = ?', f.meeting_id])
      if (f.session_id) filters.push(['session_id = ?', f.session_id])
      if (f.since) filters.push(['at >= ?', f.since])
      if (f.until) filters.push(['at <= ?', f.until])
      const { rows, paging } = pagedList<Row>(prepare, 'events', filters, 'seq ASC', page)
      return { data: rows.map(toEvent), paging }
    },
  }
}
