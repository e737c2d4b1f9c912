import type { Db } from './db.js'
import { bool, int } from './query.js'

export interface Webhook {
  id: string
  name: string
  url: string
  events: string[]
  enabled: boolean
  created_at: string
  updated_at: string
}

type Row = Omit<Webhook, 'events' | 'enabled'> & { events: string, enabled: number }
const toWebhook = (r: Row): Webhook => ({
  id: r.id,
  name: r.name,
  url: r.url,
  events: JSON.parse(r.events),
  enabled: bool(r.enabled),
  created_at: r.created_at,
  updated_at: r.updated_at,
})

export function createWebhooksRepo (db: Db) {
  const byId = db.prepare<[string, string], Row>('SELECT * FROM webhooks WHERE org_id = ? AND id = ?')
  const all = db.prepare<[string], Row>('SELECT * FROM webhooks WHERE org_id = ? ORDER BY seq')
  const insertStmt = db.prepare(`INSERT INTO webhooks (id, org_id, name, url, events, enabled, created_at, updated_at)
    VALUES (@id, @org_id, @name, @url, @events, @enabled, @created_at, @updated_at)`)
  const updateStmt = db.prepare(`UPDATE webhooks SET name = @name, url = @url, events = @events, enabled = @enabled,
      updated_at = @updated_at WHERE org_id = @org_id AND id = @id`)
  const deleteStmt = db.prepare('DELETE FROM webhooks WHERE org_id = ? AND id = ?')
  const subscribedSql = 'SELECT DISTINCT e.value AS type FROM webhooks w, json_each(w.events) e WHERE w.enabled = 1'
  const subscribedOrg = db.prepare<[string], { type: string }>(`${subscribedSql} AND w.org_id = ?`)
  const subscribedAll = db.prepare<[], { type: string }>(subscribedSql)
  const toRow = (w: Webhook, orgId: string) => ({ ...w, org_id: orgId, events: JSON.stringify(w.events), enabled: int(w.enabled) })

  return {
    get (orgId: string, id: string) {
      const r = byId.get(orgId, id)
      return r && toWebhook(r)
    },
    list: (orgId: string) => all.all(orgId).map(toWebhook),
    /** The event types the org's enabled webhooks subscribe to (every org's when orgId is undefined). */
    subscribedEvents: (orgId?: string) => (orgId === undefined ? subscribedAll.all() : subscribedOrg.all(orgId)).map((r) => r.type),
    insert (orgId: string, w: Webhook) {
      insertStmt.run(toRow(w, orgId))
      return w
    },
    update (orgId: string, w: Webhook) {
      updateStmt.run(toRow(w, orgId))
      return w
    },
    remove: (orgId: string, id: string) => { deleteStmt.run(orgId, id) },
  }
}
