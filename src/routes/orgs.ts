import { conflict, found } from '../errors.js'
import type { ApiHandlers } from './types.js'
import { ok, okPaged, pageOf } from './envelope.js'

// Dyte's /orgs (the CLI's API, Bearer token). req.orgId holds the token here: an org is visible
// to the token that made it. A new org is a namespace like any other: use its id and apikey as
// Basic credentials.
export const orgs = {
  async listOrgs (req) {
    return okPaged(req.server.dyte.store.orgRecords.list(req.orgId, pageOf(req.query)))
  },

  async createOrg (req, reply) {
    const org = req.server.dyte.sim.orgs.create(req.orgId, req.body)
    reply.code(201)
    return ok(org)
  },

  async getOrg (req) {
    return ok(found(req.server.dyte.store.orgRecords.get(req.orgId, req.params.orgId), 'organization', req.params.orgId))
  },

  async updateOrg (req) {
    const { store } = req.server.dyte
    const org = found(store.orgRecords.get(req.orgId, req.params.orgId), 'organization', req.params.orgId)
    if (req.body.name && store.orgRecords.nameTaken(req.body.name, org.id)) throw conflict(`An organization named ${req.body.name} already exists`)
    const changes = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined))
    return ok(store.orgRecords.update({ ...org, ...changes, updated_at: req.server.dyte.now(req.orgId) }))
  },
} satisfies Partial<ApiHandlers>
