// API coverage of the user's suite (GET /_mock/coverage): which operations of the served specs
// its requests reached and with which statuses, which webhook events were delivered, and which
// lifecycle states the simulator reached; beside what the specs document, so the report names
// what no test touched. Counts are kept in memory on the hot path and added to the coverage
// table in one transaction about every second and at close: a process killed with SIGKILL loses
// at most the last second of counts. A reset wipes the org's share; a restore keeps it (it is a
// record of the suite, not state of the org).
import type { LoadedSpec } from '../spec.js'
import type { Store } from '../store/index.js'
import type { CoverageKind, CoverageRow } from '../store/coverage.js'

export type Resource = 'session' | 'recording' | 'livestream'
/** Tells coverage that a resource of the org entered a status. */
export type Reached = (orgId: string, resource: Resource, status: string) => void

export interface CatalogOperation { api: 'dyte' | 'realtimekit', operation_id: string, method: string, path: string, documented: string[] }
/** What the served specs document: every operation with its statuses, the webhook event types, each resource's statuses. */
export interface Catalog { operations: CatalogOperation[], events: string[], states: Record<Resource, string[]> }

/** The catalog, read from the specs (statuses of `responses`, the enums of Webhook.events and of each resource's status). */
export function coverageCatalog (v2: LoadedSpec, realtimeKit: LoadedSpec): Catalog {
  const ops = (api: CatalogOperation['api'], spec: LoadedSpec) => spec.operations.map((op) => ({
    api, operation_id: op.operationId, method: op.method.toUpperCase(), path: op.server + op.path,
    documented: Object.keys(op.responses).filter((code) => /^\d{3}$/.test(code)).sort(),
  }))
  const schemas = v2.document.components.schemas
  const statuses = (name: string) => schemas[name].properties.status.enum as string[]
  return {
    operations: [...ops('dyte', v2), ...ops('realtimekit', realtimeKit)],
    events: schemas.Webhook.properties.events.items.enum as string[],
    states: { session: statuses('Session'), recording: statuses('Recording'), livestream: statuses('Livestream') },
  }
}

const percent = (covered: number, total: number) => (total === 0 ? 100 : Math.round((covered / total) * 1000) / 10)
const total = (covered: number, all: number) => ({ covered, total: all, percent: percent(covered, all) })

export function createCoverage (store: Store, catalog: Catalog, o: { flushMs?: number, onError?: (err: unknown) => void } = {}) {
  const pending = new Map<string, Map<string, number>>() // org id → 'kind\0key' → count not yet in the table
  let timer: NodeJS.Timeout | undefined
  let failing = false

  const count = (orgId: string, kind: CoverageKind, key: string, n = 1) => {
    let org = pending.get(orgId)
    if (!org) pending.set(orgId, org = new Map())
    const k = kind + '\u0000' + key
    org.set(k, (org.get(k) ?? 0) + n)
    if (!timer) {
      timer = setTimeout(flush, o.flushMs ?? 1000)
      timer.unref()
    }
  }

  /**
   * Writes the pending counts. Counts the database refuses (a full disk) stay pending and are
   * written with the next ones; the first failure of a run is reported, and nothing is thrown: a
   * flush runs from a timer and as the server closes.
   */
  function flush () {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return
    const rows: CoverageRow[] = []
    for (const [orgId, counts] of pending) {
      for (const [k, n] of counts) {
        const [kind, key] = k.split('\u0000') as [CoverageKind, string]
        rows.push({ org_id: orgId, kind, key, count: n })
      }
    }
    pending.clear()
    try {
      store.coverage.add(rows)
      failing = false
    } catch (err) {
      for (const r of rows) count(r.org_id, r.kind, r.key, r.count)
      if (!failing) o.onError?.(err)
      failing = true
    }
  }

  /** The report for one org, or for all orgs together (orgId undefined). */
  function report (orgId?: string) {
    flush()
    const seen = { operation: new Map<string, number>(), webhook: new Map<string, number>(), state: new Map<string, number>() }
    for (const r of store.coverage.list(orgId)) seen[r.kind].set(r.key, (seen[r.kind].get(r.key) ?? 0) + r.count)

    const operations = catalog.operations.map((op) => {
      const statuses: Record<string, number> = {}
      for (const [key, n] of seen.operation) {
        const [id, status] = key.split(' ')
        if (id === op.operation_id) statuses[status] = n
      }
      const calls = Object.values(statuses).reduce((a, b) => a + b, 0)
      return { ...op, calls, statuses, never_seen: op.documented.filter((s) => !(s in statuses)) }
    })
    const subscribed = new Set(store.webhooks.subscribedEvents(orgId))
    const webhooks = catalog.events.map((type) => ({ type, delivered: seen.webhook.get(type) ?? 0, subscribed: subscribed.has(type) }))
    const states = Object.fromEntries(Object.entries(catalog.states).map(([resource, all]) => {
      const reached = Object.fromEntries(all.filter((s) => seen.state.has(`${resource} ${s}`)).map((s) => [s, seen.state.get(`${resource} ${s}`)!]))
      return [resource, { reached, never_reached: all.filter((s) => !(s in reached)) }]
    })) as Record<Resource, { reached: Record<string, number>, never_reached: string[] }>

    const byApi = (api: CatalogOperation['api']) => {
      const ops = operations.filter((op) => op.api === api)
      const documented = ops.reduce((n, op) => n + op.documented.length, 0)
      return {
        operations: total(ops.filter((op) => op.calls > 0).length, ops.length),
        statuses: total(documented - ops.reduce((n, op) => n + op.never_seen.length, 0), documented),
      }
    }
    const allStates = Object.values(catalog.states).reduce((n, s) => n + s.length, 0)
    const reachedStates = Object.values(states).reduce((n, s) => n + Object.keys(s.reached).length, 0)
    return {
      scope: orgId === undefined ? 'all' as const : 'org' as const,
      org_id: orgId ?? null,
      totals: {
        dyte: byApi('dyte'),
        realtimekit: byApi('realtimekit'),
        webhook_events: total(webhooks.filter((w) => w.delivered > 0).length, webhooks.length),
        lifecycle_states: total(reachedStates, allStates),
      },
      operations,
      webhooks: {
        events: webhooks,
        subscribed_never_delivered: webhooks.filter((w) => w.subscribed && w.delivered === 0).map((w) => w.type),
      },
      states,
    }
  }

  return {
    catalog,
    /** An answer of the Dyte or RealtimeKit API (by the operation's own id). */
    answered: (orgId: string, operationId: string, status: number) => count(orgId, 'operation', `${operationId} ${status}`),
    /** A webhook delivery the receiver accepted (2xx). */
    delivered: (orgId: string, eventType: string) => count(orgId, 'webhook', eventType),
    reached: ((orgId, resource, status) => count(orgId, 'state', `${resource} ${status}`)) as Reached,
    report,
    flush,
    /** The org was reset: its counts go. */
    forget (orgId: string) {
      pending.delete(orgId)
      store.coverage.clear(orgId)
    },
  }
}

export type Coverage = ReturnType<typeof createCoverage>
export type CoverageReport = ReturnType<Coverage['report']>

/** The report as Markdown, for a CI job to post or keep as an artifact. */
export function coverageMarkdown (r: CoverageReport): string {
  const pct = (t: { covered: number, total: number, percent: number }) => `${t.covered} of ${t.total} (${t.percent}%)`
  const lines = [
    `# Dyte API coverage${r.org_id === null ? ' (all orgs)' : ` (org ${r.org_id})`}`,
    '',
    '| | Covered |',
    '|---|---|',
    `| Dyte operations called | ${pct(r.totals.dyte.operations)} |`,
    `| Dyte documented statuses seen | ${pct(r.totals.dyte.statuses)} |`,
    `| RealtimeKit operations called | ${pct(r.totals.realtimekit.operations)} |`,
    `| RealtimeKit documented statuses seen | ${pct(r.totals.realtimekit.statuses)} |`,
    `| Webhook events delivered | ${pct(r.totals.webhook_events)} |`,
    `| Lifecycle states reached | ${pct(r.totals.lifecycle_states)} |`,
    '',
    '## Operations called',
    '',
    '| API | Operation | Calls | Statuses seen | Documented, never seen |',
    '|---|---|---|---|---|',
    ...r.operations.filter((op) => op.calls > 0).map((op) =>
      `| ${op.api} | \`${op.method} ${op.path}\` (${op.operation_id}) | ${op.calls} | ${Object.entries(op.statuses).map(([s, n]) => `${s} ×${n}`).join(', ')} | ${op.never_seen.join(', ') || '—'} |`),
    '',
    '## Operations never called',
    '',
    ...r.operations.filter((op) => op.calls === 0).map((op) => `- ${op.api}: \`${op.method} ${op.path}\` (${op.operation_id})`),
    '',
    '## Webhook events',
    '',
    '| Event | Delivered | Subscribed |',
    '|---|---|---|',
    ...r.webhooks.events.map((w) => `| ${w.type} | ${w.delivered} | ${w.subscribed ? 'yes' : 'no'} |`),
    '',
    '## Lifecycle states',
    '',
    '| Resource | Reached | Never reached |',
    '|---|---|---|',
    ...Object.entries(r.states).map(([resource, s]) =>
      `| ${resource} | ${Object.entries(s.reached).map(([st, n]) => `${st} ×${n}`).join(', ') || '—'} | ${s.never_reached.join(', ') || '—'} |`),
    '',
  ]
  return lines.join('\n')
}
