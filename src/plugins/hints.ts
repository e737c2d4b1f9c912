// Near-miss hints: an error answer keeps its status and body, and adds `x-dyte-mock-hint` saying
// what would have worked: the closest routes to a path no route serves, the methods a path does
// serve, the org an unknown id lives in (never with --orgs: that would leak across tenants),
// which credential check failed (never the expected key), a field's allowed values from the spec.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { JsonSchema } from '../spec.js'
import { basicPair, bearerToken } from './credentials.js'
import { routeConfig } from './route-config.js'

export const HINT_HEADER = 'x-dyte-mock-hint'

export interface Hints {
  /** The hint for an error answer of a route (undefined: none). */
  explain: (req: FastifyRequest, status: number, err?: unknown) => string | undefined
  /** The hint for a request no route serves. */
  unserved: (req: FastifyRequest) => string | undefined
}

interface Route { method: string, template: string, segments: string[] }

/** The surfaces whose routes a hint may name. */
const SERVED = /^\/(v2|accounts|_mock)(\/|$)/
const isParam = (segment: string) => segment.startsWith(':')
const segmentsOf = (path: string) => path.split('/').filter(Boolean)

function levenshtein (a: string, b: string) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]
}

/**
 * Edit distance over path segments: a parameter takes any segment; two literals cost their
 * relative character distance (a different word costs a whole segment); a missing id costs half.
 */
function routeDistance (path: string[], route: string[]) {
  const substitute = (p: string, r: string) => {
    if (isParam(r) || p === r) return 0
    const d = levenshtein(p, r) / Math.max(p.length, r.length)
    return d > 0.5 ? 1 : d
  }
  const insert = (r: string) => (isParam(r) ? 0.5 : 1)
  let prev = [0]
  for (let j = 1; j <= route.length; j++) prev[j] = prev[j - 1] + insert(route[j - 1])
  for (let i = 1; i <= path.length; i++) {
    const cur = [i]
    for (let j = 1; j <= route.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + insert(route[j - 1]), prev[j - 1] + substitute(path[i - 1], route[j - 1]))
    prev = cur
  }
  return prev[route.length]
}

const CLOSEST = 3
/** A suggestion must be closer than one wrong segment, and about as close as the best one. */
const FARTHEST = 0.9
const SPREAD = 0.5

/** Hints go in a header: printable ASCII only, and not too long. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000)

// --- 400: the field's allowed values or format, from the route's schema --------------------------

interface AjvError { instancePath: string, keyword: string, params: Record<string, any> }

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2030-01-01T12:00:00Z', date: '2030-01-01', uuid: '0f5c2e0a-7a0b-4f7e-9b41-2f4a8c6a1d11',
  email: 'someone@example.com', uri: 'https://example.com/path', url: 'https://example.com/path',
}

function childSchema (s: JsonSchema, key: string): JsonSchema | undefined {
  if (s.properties?.[key]) return s.properties[key]
  if (s.items && /^\d+$/.test(key)) return s.items
  for (const sub of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const c = childSchema(sub, key)
    if (c) return c
  }
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
}

function schemaAt (root: JsonSchema | undefined, pointer: string[]): JsonSchema | undefined {
  let s = root
  for (const key of pointer) s = s && childSchema(s, key)
  return s
}

function describe (s: JsonSchema): string | undefined {
  const parts: string[] = []
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map(String).join(', ')}`)
  else if (s.type) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t: string) => t !== 'null')
    parts.push(`${types.join(' or ')}${s.format ? ` in ${s.format} format` : ''}`)
  }
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`from ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}`)
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${s.minLength ?? 0} to ${s.maxLength ?? 'any number of'} characters`)
  if (s.pattern) parts.push(`matching ${s.pattern}`)
  const example = s.example ?? (s.format ? FORMAT_EXAMPLES[s.format] : undefined)
  if (example !== undefined && !Array.isArray(s.enum)) parts.push(`e.g. ${typeof example === 'string' ? example : JSON.stringify(example)}`)
  return parts.length ? parts.join(', ') : undefined
}

function validationHint (req: FastifyRequest, err: { validation: AjvError[], validationContext?: string }) {
  const part = err.validationContext ?? 'body'
  const root = (req.routeOptions.schema as Record<string, JsonSchema> | undefined)?.[part]
  const seen = new Set<string>()
  const hints: string[] = []
  for (const e of err.validation) {
    const pointer = e.instancePath.split('/').filter(Boolean).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (e.keyword === 'required') pointer.push(e.params.missingProperty)
    const where = [part, ...pointer].join('.')
    if (seen.has(where)) continue
    seen.add(where)
    const s = schemaAt(root, pointer)
    if (!s) continue
    if (e.keyword === 'additionalProperties') {
      hints.push(`${where} takes only: ${Object.keys(s.properties ?? {}).join(', ')}`)
      continue
    }
    const d = describe(s)
    if (d) hints.push(`${where}${e.keyword === 'required' ? ' is required' : ''}: ${d}`)
  }
  return hints.length ? hints.slice(0, 3).join('; ') : undefined
}

// --- 401: which check failed ------------------------------------------------------------------

const BASIC = 'send Authorization: Basic base64(<org id>:<api key>)'
const BEARER = 'send Authorization: Bearer <api token>, or X-Auth-Key with X-Auth-Email'

function bearerWhy (req: FastifyRequest, configured: boolean) {
  const h = req.headers.authorization
  if (h === undefined) {
    const key = req.headers['x-auth-key']
    if (typeof key === 'string' && key && !req.headers['x-auth-email']) return 'X-Auth-Key needs X-Auth-Email as well (or send Authorization: Bearer <api token>)'
    return `no credentials: ${BEARER}`
  }
  if (!/^\s*Bearer\s+\S+\s*$/i.test(h)) return `the Authorization header is not Bearer credentials: ${BEARER}`
  if (!configured) return undefined
  const appId = (req.params as Record<string, unknown> | undefined)?.app_id
  return typeof appId === 'string'
    ? `the token is not the key configured with --orgs for app ${appId} (nor the key that created it)`
    : 'the token is not a key configured with --orgs'
}

function basicWhy (req: FastifyRequest, configured: boolean) {
  const h = req.headers.authorization
  if (h === undefined || h.trim() === '') return `no Authorization header: ${BASIC}`
  const m = /^\s*Basic\s+(\S+)\s*$/i.exec(h)
  if (!m) return /^\s*Bearer\s/i.test(h) ? `Bearer credentials where Basic ones are needed: ${BASIC}` : `the Authorization header is neither Basic nor Bearer credentials: ${BASIC}`
  const pair = basicPair(m[1])
  if (!pair) return `the Basic credentials have no ':' between org id and api key: ${BASIC}`
  if (!pair.user) return 'the org id (before the \':\') is empty'
  if (!pair.key) return 'the API key (after the \':\') is empty'
  return configured ? `the API key is not the one configured for org ${pair.user} (--orgs)` : undefined
}

// --- the plugin -------------------------------------------------------------------------------

/**
 * Collects the routes as they are registered (call before the APIs are registered). `orgsConfigured`:
 * whether --orgs is set (credentials are checked; ids are never looked up across orgs).
 */
export function useHints (app: FastifyInstance, orgsConfigured: boolean): Hints {
  const routes: Route[] = []
  app.addHook('onRoute', (r) => {
    if (!SERVED.test(r.url) || r.url.includes('*')) return
    for (const method of [r.method].flat()) {
      routes.push({ method, template: r.url.replace(/:([^/]+)/g, '{$1}'), segments: segmentsOf(r.url) })
    }
  })

  function unserved (req: FastifyRequest) {
    const path = segmentsOf(req.url.split('?')[0])
    const surface = routes.filter((r) => r.segments[0] === path[0])
    const candidates = surface.length ? surface : routes
    // A path that is served, with another method.
    const same = candidates.filter((r) => r.segments.length === path.length && r.segments.every((s, i) => isParam(s) || s === path[i]))
    if (same.length) return `${req.method} is not served on ${same[0].template}; it answers ${[...new Set(same.map((r) => r.method))].join(', ')}`
    const ranked = candidates
      .map((r) => ({ r, d: routeDistance(path, r.segments) + (r.method === req.method ? 0 : 0.5) }))
      .filter((x) => x.d <= FARTHEST)
      .sort((a, b) => a.d - b.d)
    const close = ranked.filter((x) => x.d <= ranked[0].d + SPREAD).slice(0, CLOSEST)
    return close.length ? `did you mean ${close.map((x) => `${x.r.method} ${x.r.template}`).join(' or ')}?` : undefined
  }

  /** Where the ids in the path live: another org (only without --orgs), or this org as another kind of row. */
  function unknownId (req: FastifyRequest) {
    const params = (req.params ?? {}) as Record<string, unknown>
    const hints: string[] = []
    const seen = new Set<string>()
    for (const [name, id] of Object.entries(params)) {
      if (typeof id !== 'string' || id === req.orgId || seen.has(id)) continue
      seen.add(id)
      const expected = name.replace(/_?[iI]d$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase()
      for (const owner of app.dyte.store.owners.of(id)) {
        if (owner.org_id === req.orgId) {
          if (owner.kind !== expected) hints.push(`${id} is the id of a ${owner.kind} of this org, not of a ${expected}`)
        } else if (!orgsConfigured) {
          hints.push(`${owner.kind} ${id} exists in org ${owner.org_id}, not in org ${req.orgId} (the credentials' org id selects the org)`)
        }
      }
    }
    return hints.length ? hints.join('; ') : undefined
  }

  function explain (req: FastifyRequest, status: number, err?: unknown) {
    if (status === 404) return unknownId(req)
    if (status === 401) {
      const bearer = routeConfig(req).bearer || req.routeOptions.url?.startsWith('/accounts/')
      if (!bearer && routeConfig(req).participantToken && bearerToken(req.headers.authorization)) {
        return 'the participant token was not accepted (the message says why); this operation takes a participant\'s token or Basic orgId:apiKey'
      }
      return bearer ? bearerWhy(req, orgsConfigured) : basicWhy(req, orgsConfigured)
    }
    const validation = (err as { validation?: AjvError[] } | undefined)?.validation
    if (status === 400 && validation) return validationHint(req, err as { validation: AjvError[], validationContext?: string })
    return undefined
  }

  return {
    explain: (req, status, err) => { const h = explain(req, status, err); return h && headerSafe(h) },
    unserved: (req) => { const h = unserved(req); return h && headerSafe(h) },
  }
}
