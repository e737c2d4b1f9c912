// The request journal (/_mock/requests): what the org's client sent, and which requests meet a
// match (or came closest).
import type { MockHandlers } from '../types.js'
import { ok, okPaged, pageOf } from '../envelope.js'
import { findRequests } from '../../simulate/request-match.js'

export const requests = {
  async listRequests (req) {
    const { page_no: _p, per_page: _n, ...filter } = req.query
    return okPaged(req.server.dyte.journal.list(req.orgId, filter, pageOf(req.query)))
  },

  async clearRequests (req) {
    req.server.dyte.journal.clear(req.orgId)
    return { success: true, message: 'Journal cleared' }
  },

  async findRequests (req) {
    return ok(findRequests(req.server.dyte.journal.candidates(req.orgId), req.body.match))
  },
} satisfies Partial<MockHandlers>
