import type { Db } from './db.js'

export interface Timer { id: number, org_id: string, due_at_ms: number, kind: string, ref_id: string }

/** Due transitions, persisted so they survive a restart. */
export function createTimersRepo (db: Db) {
  const insert = db.prepare('INSERT INTO timers (org_id, due_at_ms, kind, ref_id) VALUES (?, ?, ?, ?)')
  const nextDue = db.prepare<[string, number], Timer>(
    'SELECT * FROM timers WHERE org_id = ? AND due_at_ms <= ? ORDER BY due_at_ms, id LIMIT 1')
  const earliest = db.prepare<[], { org_id: string, due_at_ms: number }>(
    'SELECT org_id, min(due_at_ms) AS due_at_ms FROM timers GROUP BY org_id')
  const remove = db.prepare('DELETE FROM timers WHERE id = ?')
  const cancel = db.prepare('DELETE FROM timers WHERE org_id = ? AND ref_id = ? AND kind = ?')
  return {
    add: (orgId: string, dueAtMs: number, kind: string, refId: string) => { insert.run(orgId, Math.round(dueAtMs), kind, refId) },
    /** The earliest timer of the org due at or before `untilMs`. */
    nextDue: (orgId: string, untilMs: number) => nextDue.get(orgId, untilMs),
    /** The earliest due time per org. */
    earliest: () => earliest.all(),
    remove: (id: number) => { remove.run(id) },
    cancel: (orgId: string, refId: string, kind: string) => { cancel.run(orgId, refId, kind) },
  }
}
