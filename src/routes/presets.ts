import type { FastifyRequest } from 'fastify'
import { conflict, notFound } from '../errors.js'
import type { Preset } from '../store/presets.js'
import type { Handler } from './index.js'
import { ok, okPaged, pageOf } from './envelope.js'

type Req<B = unknown, Q = unknown> = FastifyRequest<{ Params: { presetId: string }, Body: B, Querystring: Q }>
type Body = Record<string, unknown> & { name?: string }

function requirePreset (req: Req): Preset {
  const p = req.server.dyte.store.presets.get(req.orgId, req.params.presetId)
  if (!p) throw notFound('preset', req.params.presetId)
  return p
}

function checkName (req: FastifyRequest, name: string, exceptId?: string) {
  const other = req.server.dyte.store.presets.byName(req.orgId, name)
  if (other && other.id !== exceptId) throw conflict(`A preset named ${name} already exists (${other.id})`)
}

/** PATCH semantics: objects merge key by key, anything else replaces. */
function deepMerge (base: any, patch: any): any {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const out = { ...base }
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = deepMerge(base[k], v)
  return out
}

export const presets = {
  async listPresets (req: Req<unknown, { page_no?: number, per_page?: number, search?: string }>) {
    return okPaged(req.server.dyte.store.presets.list(req.orgId, req.query.search, pageOf(req.query)))
  },

  async createPreset (req: Req<Body & { name: string }>) {
    const { store, now, newId } = req.server.dyte
    checkName(req, req.body.name)
    const at = now(req.orgId)
    return ok(store.presets.insert(req.orgId, { ...req.body, id: newId(req.orgId), created_at: at, updated_at: at }))
  },

  async getPreset (req: Req) {
    return ok(requirePreset(req))
  },

  async updatePreset (req: Req<Body>) {
    const current = requirePreset(req)
    if (req.body.name !== undefined) checkName(req, req.body.name, current.id)
    return ok(req.server.dyte.store.presets.update(req.orgId, { ...deepMerge(current, req.body), updated_at: req.server.dyte.now(req.orgId) }))
  },

  async replacePreset (req: Req<Body & { name: string }>) {
    const current = requirePreset(req)
    checkName(req, req.body.name, current.id)
    return ok(req.server.dyte.store.presets.update(req.orgId, { ...req.body, id: current.id, created_at: current.created_at, updated_at: req.server.dyte.now(req.orgId) }))
  },

  async deletePreset (req: Req) {
    const p = requirePreset(req)
    req.server.dyte.store.presets.remove(req.orgId, p.id)
    return ok(p)
  },
} satisfies Record<string, Handler>
