// Faults on demand (/_mock/faults): API requests of an org that fail, stall or drop, so a test
// can see its client's retries and error handling. Kept in SQLite; each org's faults are cached
// in memory, so an org without faults pays one map lookup per request.
import { badRequest } from '../errors.js'
import type { Store } from '../store/index.js'
import { forgetOrg } from '../store/query.js'
import type { Fault, FaultSpec } from '../store/faults.js'
import type { NewId } from './ids.js'
import { starPattern } from './patterns.js'

/** The request a fault is matched against; `operationIds`: its operation's id and the Dyte id it answers as (RealtimeKit). */
export interface FaultRequest { method: string, url: string, operationIds: (string | undefined)[] }

interface Cached { fault: Fault, path?: RegExp }

/** `operationIds`: the operations of the Dyte and RealtimeKit APIs, which a fault may name. */
export function createFaults (store: Store, newId: NewId, now: (orgId: string) => string, operationIds: Iterable<string>) {
  const known = new Set(operationIds)
  const cache = new Map<string, Cached[]>()
  const faultsOf = (orgId: string) => {
    let list = cache.get(orgId)
    if (!list) {
      list = store.faults.list(orgId).map((fault) => ({ fault, path: fault.spec.path === undefined ? undefined : starPattern(fault.spec.path) }))
      cache.set(orgId, list)
    }
    return list
  }
  const matches = ({ fault: { spec }, path }: Cached, r: FaultRequest) =>
    (spec.method === undefined || spec.method === r.method) &&
    (path === undefined || path.test(r.url.split('?')[0])) &&
    (spec.operation_id === undefined || r.operationIds.includes(spec.operation_id))

  const get = (orgId: string, id: string) => faultsOf(orgId).find((c) => c.fault.id === id)?.fault
  const check = (spec: FaultSpec) => {
    if (spec.status === undefined && spec.delay_ms === undefined && !spec.reset) {
      throw badRequest('body must set at least one of: status, delay_ms, reset')
    }
    if (spec.status !== undefined && spec.reset) throw badRequest('body/status and body/reset cannot both be given: a dropped connection has no status')
    if (spec.operation_id !== undefined && !known.has(spec.operation_id)) {
      throw badRequest(`body/operation_id names no operation of the Dyte or RealtimeKit API: ${spec.operation_id}`)
    }
  }
  return {
    create (orgId: string, spec: FaultSpec): Fault {
      check(spec)
      const fault: Fault = { id: newId(orgId), spec, skip_left: spec.skip, times_left: spec.times ?? null, hits: 0, created_at: now(orgId) }
      store.faults.insert(orgId, fault)
      cache.delete(orgId)
      return fault
    },
    list: (orgId: string) => faultsOf(orgId).map((c) => c.fault),
    get,
    remove (orgId: string, id: string) {
      const fault = get(orgId, id)
      if (fault) store.faults.remove(orgId, id)
      cache.delete(orgId)
      return fault
    },
    clear (orgId: string) {
      store.faults.clear(orgId)
      cache.delete(orgId)
    },
    /** Drops what is kept in memory about the org (about every org: a transaction was rolled back). */
    forget: (orgId?: string) => forgetOrg(cache, orgId),
    /** Whether the org has any fault (cheap: the check every API request makes). */
    has: (orgId: string) => faultsOf(orgId).length > 0,
    /**
     * The fault that applies to this request, counted as applied; faults that match but are still
     * skipping count the request as skipped. Undefined when the request proceeds normally.
     */
    take (orgId: string, r: FaultRequest): Fault | undefined {
      const list = faultsOf(orgId)
      if (list.length === 0) return undefined
      return store.tx(() => {
        for (const { fault } of list.filter((c) => matches(c, r))) {
          if (fault.times_left === 0) continue
          if (fault.skip_left > 0) {
            fault.skip_left--
            store.faults.skipped(orgId, fault.id)
            continue
          }
          if (fault.times_left !== null) fault.times_left--
          fault.hits++
          store.faults.applied(orgId, fault.id)
          return fault
        }
        return undefined
      })
    },
  }
}

export type Faults = ReturnType<typeof createFaults>
