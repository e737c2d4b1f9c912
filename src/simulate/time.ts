// Moving an org's clock from the control plane (/_mock/clock): freeze it, let it flow again, or
// advance it, running every transition that falls due on the way, in order.
import { badRequest } from '../errors.js'
import type { Store } from '../store/index.js'
import { iso, type OrgClocks } from './clock.js'
import type { Scheduler } from './scheduler.js'

/** Org clocks stay below the year 9000, so every time they produce is a four-digit-year date-time. */
const CLOCK_LIMIT_MS = Date.UTC(9000, 0, 1)
const checkLimit = (field: string, ms: number) => {
  if (ms >= CLOCK_LIMIT_MS) throw badRequest(`${field} would put the clock at or after 9000-01-01T00:00:00Z, the latest time dyte-mock keeps`)
}

export interface TimeDeps { store: Store, clock: OrgClocks, scheduler: Pick<Scheduler, 'runDue' | 'rearm'> }

export function createTime ({ store, clock, scheduler }: TimeDeps) {
  const view = (orgId: string) => ({ now: iso(clock.now(orgId)), frozen: clock.isFrozen(orgId) })
  return {
    view,

    /** Freezes the clock (at `nowMs`, or where it stands), or lets it flow again from where it stands. */
    set (orgId: string, frozen: boolean, nowMs?: number) {
      if (nowMs !== undefined) checkLimit('body/now', nowMs)
      if (frozen) clock.freeze(orgId, nowMs)
      else if (nowMs !== undefined) throw badRequest('body/now can only be given with frozen: true')
      else clock.unfreeze(orgId)
      scheduler.rearm()
      return view(orgId)
    },

    /** Moves the clock on and runs what fell due; returns the clock and the events that happened meanwhile. */
    advance (orgId: string, seconds: number) {
      const ms = Math.round(seconds * 1000)
      checkLimit('body/seconds', clock.now(orgId) + ms)
      const seq = store.events.lastSeq(orgId)
      clock.advance(orgId, ms)
      scheduler.runDue(orgId, clock.now(orgId))
      scheduler.rearm()
      return { ...view(orgId), events: store.events.after(orgId, seq).map(({ seq: _s, ...e }) => e) }
    },
  }
}
