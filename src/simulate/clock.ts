// Time as each org sees it. Every timestamp an org can observe comes from here. An org's clock
// follows wall time (plus whatever it was advanced by) or is frozen at an instant; its state is
// kept in the orgs table so it survives a restart.
import type { Store } from '../store/index.js'
import { forgetOrg } from '../store/query.js'
import type { OrgClock } from '../store/orgs.js'

export interface Clock {
  /** Milliseconds since the epoch, on the org's clock. */
  now (orgId: string): number
}

export const iso = (ms: number) => new Date(ms).toISOString()

export function createOrgClocks (store: Store, wall: () => number = Date.now) {
  const cache = new Map<string, OrgClock>()
  const state = (orgId: string): OrgClock => {
    let c = cache.get(orgId)
    if (!c) {
      c = store.orgs.clock(orgId) ?? { frozen_at_ms: null, offset_ms: 0 }
      cache.set(orgId, c)
    }
    return c
  }
  const save = (orgId: string, c: OrgClock) => {
    store.orgs.setClock(orgId, c)
    cache.set(orgId, c)
  }
  const now = (orgId: string) => {
    const c = state(orgId)
    return c.frozen_at_ms ?? wall() + c.offset_ms
  }
  return {
    now,
    wall,
    isFrozen: (orgId: string) => state(orgId).frozen_at_ms !== null,
    /** How far the org's clock is ahead of wall time (for scheduling real-time timers). */
    offset: (orgId: string) => state(orgId).offset_ms,
    freeze (orgId: string, atMs = now(orgId)) { save(orgId, { frozen_at_ms: atMs, offset_ms: 0 }) },
    /** Let time flow again from where it stands. */
    unfreeze (orgId: string) { save(orgId, { frozen_at_ms: null, offset_ms: now(orgId) - wall() }) },
    advance (orgId: string, ms: number) {
      const c = state(orgId)
      save(orgId, c.frozen_at_ms !== null ? { ...c, frozen_at_ms: c.frozen_at_ms + ms } : { ...c, offset_ms: c.offset_ms + ms })
    },
    /** Drops what is kept in memory about the org (about every org: a transaction was rolled back). */
    forget: (orgId?: string) => forgetOrg(cache, orgId),
  }
}

export type OrgClocks = ReturnType<typeof createOrgClocks>
