import type { Db } from './db.js'
import { pagedList, statementCache, type Filter, type Page } from './query.js'

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'

export interface Delivery {
  id: string
  org_id: string
  webhook_id: string
  event_id: string | null
  event_type: string
  meeting_id: string | null
  url: string
  body: string
  signature: string | null
  status: DeliveryStatus
  attempts: number
  next_attempt_at_ms: number
  created_at: string
  updated_at: string
}

export interface Attempt {
  n: number
  at: string
  status_code: number | null
  latency_ms: number
  error: string | null
  response_excerpt: string | null
}

export interface DeliveryFilters {
  event?: string, webhook_id?: string, status?: DeliveryStatus, meeting_id?: string, since?: string, until?: string
}

/** Finished deliveries kept per org; older ones are pruned so the log cannot grow without bound. */
export const KEEP_PER_ORG = 10_000

export function createDeliveriesRepo (db: Db) {
  const prepare = statementCache(db)
  const insert = db.prepare(`INSERT INTO deliveries (id, org_id, webhook_id, event_id, event_type, meeting_id, url, body, signature,
      status, attempts, next_attempt_at_ms, created_at, updated_at)
    VALUES (@id, @org_id, @webhook_id, @event_id, @event_type, @meeting_id, @url, @body, @signature, @status, @attempts,
      @next_attempt_at_ms, @created_at, @updated_at)`)
  const byId = db.prepare<[string, string], Delivery>('SELECT * FROM deliveries WHERE org_id = ? AND id = ?')
  const orgOf = db.prepare<[string, string], { org_id: string }>('SELECT org_id FROM deliveries WHERE id = ? AND webhook_id = ?')
  // The oldest pending delivery of each webhook: deliveries of one webhook go out in event order.
  // A skip-scan of deliveries_pending (status, webhook_id, seq): one index seek per webhook with
  // pending deliveries to find the next webhook id, one for its oldest row. The cost grows with
  // the number of such webhooks, not with the number of pending deliveries.
  const heads = db.prepare<[], Delivery>(`WITH RECURSIVE hooks (webhook_id) AS (
      SELECT (SELECT min(webhook_id) FROM deliveries WHERE status = 'pending')
      UNION ALL
      SELECT (SELECT min(webhook_id) FROM deliveries WHERE status = 'pending' AND webhook_id > hooks.webhook_id)
        FROM hooks WHERE webhook_id IS NOT NULL)
    SELECT d.* FROM hooks
    JOIN deliveries d ON d.seq = (SELECT min(seq) FROM deliveries WHERE status = 'pending' AND webhook_id = hooks.webhook_id)
    ORDER BY d.seq`)
  const pendingOf = db.prepare<[string, number], Delivery>(
    "SELECT * FROM deliveries WHERE status = 'pending' AND webhook_id = ? ORDER BY seq LIMIT ?")
  const update = db.prepare(`UPDATE deliveries SET status = @status, attempts = @attempts, next_attempt_at_ms = @next_attempt_at_ms,
      url = @url, signature = @signature, updated_at = @updated_at WHERE id = @id`)
  const addAttempt = db.prepare(`INSERT INTO delivery_attempts (org_id, delivery_id, n, at, status_code, latency_ms, error, response_excerpt)
    VALUES (@org_id, @delivery_id, @n, @at, @status_code, @latency_ms, @error, @response_excerpt)`)
  const attemptsOf = db.prepare<[string], Attempt>(
    'SELECT n, at, status_code, latency_ms, error, response_excerpt FROM delivery_attempts WHERE delivery_id = ? ORDER BY n')
  const countOf = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM deliveries WHERE org_id = ?')
  const pruneAttempts = db.prepare(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE org_id = ?
    AND status != 'pending' ORDER BY seq LIMIT ?)`)
  const prune = db.prepare(`DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries WHERE org_id = ?
    AND status != 'pending' ORDER BY seq LIMIT ?)`)
  let inserted = 0

  return {
    insert (d: Delivery) {
      insert.run(d)
      if (++inserted % 500 === 0) {
        const excess = countOf.get(d.org_id)!.n - KEEP_PER_ORG
        if (excess > 0) { pruneAttempts.run(d.org_id, excess); prune.run(d.org_id, excess) }
      }
      return d
    },
    get: (orgId: string, id: string) => byId.get(orgId, id),
    /** The org of this server's delivery `id` of webhook `webhookId` (its dyte-uuid and dyte-webhook-id headers). */
    orgOf: (id: string, webhookId: string) => orgOf.get(id, webhookId)?.org_id,
    heads: () => heads.all(),
    /** The oldest `limit` pending deliveries of one webhook, oldest first. */
    pendingOf: (webhookId: string, limit: number) => pendingOf.all(webhookId, limit),
    update: (d: Delivery) => { update.run(d) },
    addAttempt: (orgId: string, deliveryId: string, a: Attempt) => { addAttempt.run({ ...a, org_id: orgId, delivery_id: deliveryId }) },
    attempts: (deliveryId: string) => attemptsOf.all(deliveryId),
    list (orgId: string, f: DeliveryFilters, page: Page) {
      const filters: Filter[] = [['org_id = ?', orgId]]
      if (f.event) filters.push(['event_type = ?', f.event])
      if (f.webhook_id) filters.push(['webhook_id = ?', f.webhook_id])
      if (f.status) filters.push(['status = ?', f.status])
      if (f.meeting_id) filters.push(['meeting_id = ?', f.meeting_id])
      if (f.since) filters.push(['created_at >= ?', f.since])
      if (f.until) filters.push(['created_at <= ?', f.until])
      return pagedList<Delivery>(prepare, 'deliveries', filters, 'seq ASC', page)
    },
  }
}

export interface InboxEntry { received_at: string, headers: Record<string, string>, body: string }

type InboxRow = { received_at: string, headers: string, body: string }

/**
 * The built-in receiver's entries, each of the org whose delivery it is (null: a POST from
 * elsewhere). Read with an org, a name shows that org's entries; without, all of them.
 */
export function createInboxRepo (db: Db) {
  const insert = db.prepare('INSERT INTO inbox (org_id, name, received_at, headers, body) VALUES (?, ?, ?, ?, ?)')
  const listAll = db.prepare<[string], InboxRow>('SELECT received_at, headers, body FROM inbox WHERE name = ? ORDER BY seq')
  const listOrg = db.prepare<[string, string], InboxRow>('SELECT received_at, headers, body FROM inbox WHERE org_id = ? AND name = ? ORDER BY seq')
  const clearAll = db.prepare('DELETE FROM inbox WHERE name = ?')
  const clearOrg = db.prepare('DELETE FROM inbox WHERE org_id = ? AND name = ?')
  const trim = db.prepare(`DELETE FROM inbox WHERE org_id IS ? AND name = ?
    AND seq < (SELECT seq FROM inbox WHERE org_id IS ? AND name = ? ORDER BY seq DESC LIMIT 1 OFFSET 999)`)
  const parsed = (rows: InboxRow[]): InboxEntry[] => rows.map((r) => ({ ...r, headers: JSON.parse(r.headers) }))
  return {
    /** Keeps the newest 1,000 entries per name and org. */
    add (orgId: string | null, name: string, e: InboxEntry) {
      insert.run(orgId, name, e.received_at, JSON.stringify(e.headers), e.body)
      trim.run(orgId, name, orgId, name)
    },
    list: (orgId: string | null, name: string) => parsed(orgId === null ? listAll.all(name) : listOrg.all(orgId, name)),
    clear: (orgId: string | null, name: string) => { (orgId === null ? clearAll.run(name) : clearOrg.run(orgId, name)) },
  }
}
