// POST /_mock/reset: the org starts over.
import type { MockHandlers } from '../types.js'

export const reset = {
  async resetOrg (req) {
    req.server.dyte.sim.orgs.reset(req.orgId)
    return { success: true, message: `Org ${req.orgId} reset` }
  },
} satisfies Partial<MockHandlers>
