import type { FastifyReply, FastifyRequest } from 'fastify'
import { conflict, notFound } from '../errors.js'
import type { OrgRecord } from '../store/org-records.js'
import { ensureOrg } from '../simulate/orgs.js'
import type { Handler } from './index.js'
import { ok, okPaged, pageOf } from './envelope.js'

type Body = { name?: string, contact?: string, website?: string, feature_flags?: string[], preferred_region?: string }
type Req<B = unknown> = FastifyRequest<{ Params: { orgId: string }, Body: B, Querystring: { page_no?: number, per_page?: number } }>

// Dyte's /orgs (the CLI's API, Bearer token). req.orgId holds the token here: an org is visible
// to the token that made it. A new org is a namespace like any other: use its id and apikey as
// Basic credentials.
export const orgs = {
  async listOrgs (req: Req) {
    return okPaged(req.server.dyte.store.orgRecords.list(req.orgId, pageOf(req.query)))
  },

  async createOrg (req: Req<Body & { name: string }>, reply: FastifyReply) {
    const ctx = req.server.dyte
    if (ctx.store.orgRecords.nameTaken(req.body.name)) throw conflict(`An organization named ${req.body.name} already exists`)
    // Times from the caller's clock and the key from the id generator, so --seed runs repeat.
    const at = ctx.now(req.orgId)
    const org: OrgRecord = {
      id: ctx.newId(req.orgId), name: req.body.name, contact: req.body.contact ?? '', website: req.body.website ?? '',
      apikey: ctx.newId(req.orgId).replaceAll('-', ''), preferred_region: req.body.preferred_region ?? 'ap-south-1',
      feature_flags: req.body.feature_flags ?? [], created_at: at, updated_at: at,
    }
    ctx.store.tx(() => {
      ctx.store.orgRecords.insert(req.orgId, org)
      ensureOrg(ctx, org.id)
    })
    reply.code(201)
    return ok(org)
  },

  async getOrg (req: Req) {
    const org = req.server.dyte.store.orgRecords.get(req.orgId, req.params.orgId)
    if (!org) throw notFound('organization', req.params.orgId)
    return ok(org)
  },

  async updateOrg (req: Req<Body>) {
    const { store } = req.server.dyte
    const org = store.orgRecords.get(req.orgId, req.params.orgId)
    if (!org) throw notFound('organization', req.params.orgId)
    if (req.body.name && store.orgRecords.nameTaken(req.body.name, org.id)) throw conflict(`An organization named ${req.body.name} already exists`)
    const changes = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined))
    return ok(store.orgRecords.update({ ...org, ...changes, updated_at: req.server.dyte.now(req.orgId) }))
  },
} satisfies Record<string, Handler>
