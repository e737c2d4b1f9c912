// Snapshots of an org's whole state (/_mock/snapshots): save, list, restore, delete, export, import.
import type { MockHandlers } from '../types.js'
import { ok, okPaged, pageOf } from '../envelope.js'
import type { SnapshotDoc } from '../../simulate/snapshots.js'

export const snapshots = {
  async listSnapshots (req) {
    return okPaged(req.server.dyte.sim.snapshots.list(req.orgId, pageOf(req.query)))
  },

  async createSnapshot (req, reply) {
    reply.code(201)
    return ok(req.server.dyte.sim.snapshots.create(req.orgId, req.body.name))
  },

  async importSnapshot (req, reply) {
    const info = req.server.dyte.sim.snapshots.import(req.body as SnapshotDoc, req.orgId)
    reply.code(201)
    return ok(info)
  },

  async restoreSnapshot (req) {
    return ok(req.server.dyte.sim.snapshots.restore(req.orgId, req.params.name))
  },

  async deleteSnapshot (req) {
    return ok(req.server.dyte.sim.snapshots.remove(req.orgId, req.params.name))
  },

  /** The stored document itself, byte for byte, as a file. */
  async exportSnapshot (req, reply) {
    const text = req.server.dyte.sim.snapshots.export(req.orgId, req.params.name)
    reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${req.params.name}.json"`)
    return text
  },
} satisfies Partial<MockHandlers>
