// Per-org delays, URL lifetime and webhook retry schedule (/_mock/settings).
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'

export const settings = {
  async getSettings (req) {
    return ok(req.server.dyte.settings.get(req.orgId))
  },

  async updateSettings (req) {
    return ok(req.server.dyte.settings.update(req.orgId, req.body))
  },
} satisfies Partial<MockHandlers>
