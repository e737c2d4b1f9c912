// Failures on demand (/_mock/faults): API requests of the org that fail, stall or drop.
import type { Fault, FaultSpec } from '../../store/faults.js'
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'
import { found } from '../../errors.js'

const faultView = (f: Fault) => ({ id: f.id, ...f.spec, remaining: f.times_left, skipping: f.skip_left, hits: f.hits, created_at: f.created_at })

export const faults = {
  async listFaults (req) {
    return ok(req.server.dyte.faults.list(req.orgId).map(faultView))
  },

  async createFault (req, reply) {
    // The fields a fault has (a body may carry others).
    const { method, path, operation_id, status, message, retry_after_s, delay_ms, reset, skip, times } = req.body
    const spec: FaultSpec = { method, path, operation_id, status, message, retry_after_s, delay_ms, reset, skip, times }
    const fault = req.server.dyte.faults.create(req.orgId, spec)
    reply.code(201)
    return ok(faultView(fault))
  },

  async clearFaults (req) {
    req.server.dyte.faults.clear(req.orgId)
    return { success: true, message: 'All faults removed' }
  },

  async getFault (req) {
    return ok(faultView(found(req.server.dyte.faults.get(req.orgId, req.params.faultId), 'fault', req.params.faultId)))
  },

  async deleteFault (req) {
    return ok(faultView(found(req.server.dyte.faults.remove(req.orgId, req.params.faultId), 'fault', req.params.faultId)))
  },
} satisfies Partial<MockHandlers>
