// GET /_mock/fidelity: every upstream operation and how it is served here.
import { fidelityLedger } from '../../fidelity.js'
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'

export const fidelity = {
  async getFidelity (req) {
    return ok(fidelityLedger().filter((e) => (!req.query.api || e.api === req.query.api) && (!req.query.state || e.state === req.query.state)))
  },
} satisfies Partial<MockHandlers>
