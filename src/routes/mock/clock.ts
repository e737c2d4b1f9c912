// The org's clock (/_mock/clock): real time by default; frozen; advanced, running what falls due.
import type { MockHandlers } from '../types.js'
import { dateTimeMs, ok } from '../envelope.js'

export const clock = {
  async getClock (req) {
    return ok(req.server.dyte.sim.time.view(req.orgId))
  },

  async setClock (req) {
    const { frozen, now } = req.body
    return ok(req.server.dyte.sim.time.set(req.orgId, frozen, now === undefined ? undefined : dateTimeMs(now)))
  },

  async advanceClock (req) {
    return ok(req.server.dyte.sim.time.advance(req.orgId, req.body.seconds))
  },
} satisfies Partial<MockHandlers>
