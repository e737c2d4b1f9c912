// Runs due transitions. Timers are rows in SQLite; this module owns the only setTimeout, armed
// for the earliest timer of any org whose clock follows wall time. Frozen clocks move only
// when advanced, and advancing runs everything that fell due, in time order.
import type { Store } from '../store/index.js'
import type { Timer } from '../store/timers.js'
import type { OrgClocks } from './clock.js'

export type TimerHandler = (orgId: string, refId: string, atMs: number) => void

export function createScheduler (store: Store, clocks: OrgClocks, onError: (err: unknown, t: Timer) => void) {
  const handlers = new Map<string, TimerHandler>()
  let timeout: NodeJS.Timeout | undefined
  let armedFor = Infinity
  let closed = false

  const runOne = (t: Timer) => {
    store.tx(() => {
      store.timers.remove(t.id)
      try {
        // In a savepoint: a transition that throws leaves none of its writes; the timer's removal commits.
        store.tx(() => handlers.get(t.kind)?.(t.org_id, t.ref_id, t.due_at_ms))
      } catch (err) {
        onError(err, t) // a transition that no longer applies must not block the ones after it
      }
    })
  }

  /** Runs the org's timers due at or before untilMs, earliest first (a timer may add others). */
  const runDue = (orgId: string, untilMs: number) => {
    let n = 0
    for (let t = store.timers.nextDue(orgId, untilMs); t; t = store.timers.nextDue(orgId, untilMs)) {
      runOne(t)
      n++
    }
    return n
  }

  const fire = () => {
    timeout = undefined
    armedFor = Infinity
    for (const { org_id: orgId } of store.timers.earliest()) {
      if (!clocks.isFrozen(orgId)) runDue(orgId, clocks.now(orgId))
    }
    arm()
  }

  /** Arms the timeout for the earliest wall-clock due time (at most a minute ahead, to follow clock changes). */
  const arm = () => {
    if (closed) return
    let next = Infinity
    for (const { org_id: orgId, due_at_ms: due } of store.timers.earliest()) {
      if (!clocks.isFrozen(orgId)) next = Math.min(next, due - clocks.offset(orgId))
    }
    if (next === Infinity || next >= armedFor) return
    if (timeout) clearTimeout(timeout)
    armedFor = next
    timeout = setTimeout(fire, Math.max(0, Math.min(next - clocks.wall(), 60_000)))
    timeout.unref()
  }

  return {
    on (kind: string, handler: TimerHandler) { handlers.set(kind, handler) },
    schedule (orgId: string, dueAtMs: number, kind: string, refId: string) {
      store.timers.add(orgId, dueAtMs, kind, refId)
      // Arm after the surrounding transaction has committed.
      queueMicrotask(arm)
    },
    cancel: (orgId: string, refId: string, kind: string) => store.timers.cancel(orgId, refId, kind),
    runDue,
    /** Re-reads all timers (after start-up, a clock change or a reset). */
    rearm () {
      if (timeout) clearTimeout(timeout)
      timeout = undefined
      armedFor = Infinity
      arm()
    },
    close () {
      closed = true
      if (timeout) clearTimeout(timeout)
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
