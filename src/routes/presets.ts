import type { FastifyRequest } from 'fastify'
import { conflict, found } from '../errors.js'
import type { Preset } from '../store/presets.js'
import type { ApiHandlers } from './types.js'
import { ok, okPaged, pageOf } from './envelope.js'

const presetOf = (req: FastifyRequest, presetId: string): Preset => found(req.server.dyte.store.presets.get(req.orgId, presetId), 'preset', presetId)

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
  async listPresets (req) {
    return okPaged(req.server.dyte.store.presets.list(req.orgId, req.query.search, pageOf(req.query)))
  },

  async createPreset (req) {
    const { store, now, newId } = req.server.dyte
    checkName(req, req.body.name)
    const at = now(req.orgId)
    return ok(store.presets.insert(req.orgId, { ...req.body, id: newId(req.orgId), created_at: at, updated_at: at }))
  },

  async getPreset (req) {
    return ok(presetOf(req, req.params.presetId))
  },

  async updatePreset (req) {
    const current = presetOf(req, req.params.presetId)
    if (req.body.name !== undefined) checkName(req, req.body.name, current.id)
    return ok(req.server.dyte.store.presets.update(req.orgId, { ...deepMerge(current, req.body), updated_at: req.server.dyte.now(req.orgId) }))
  },

  async replacePreset (req) {
    const current = presetOf(req, req.params.presetId)
    checkName(req, req.body.name, current.id)
    return ok(req.server.dyte.store.presets.update(req.orgId, { ...req.body, id: current.id, created_at: current.created_at, updated_at: req.server.dyte.now(req.orgId) }))
  },

  async deletePreset (req) {
    const p = presetOf(req, req.params.presetId)
    req.server.dyte.store.presets.remove(req.orgId, p.id)
    return ok(p)
  },
} satisfies Partial<ApiHandlers>
