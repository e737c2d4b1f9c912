// Opt-in rate limits (the org's rate_limit setting): a fixed window on the org clock, per org, across
// one API surface. Over the limit answers 429 in Dyte's envelope with retry-after, plus the live API's
// headers: Dyte's gateway (envoy) adds x-envoy-ratelimited; Cloudflare sends ratelimit and
// ratelimit-policy on every answer. Runs after authentication, before faults and validation.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../errors.js'

export type RateLimitHeaders = 'dyte' | 'cloudflare'

export function registerRateLimit (app: FastifyInstance, family: RateLimitHeaders) {
  const windows = new Map<string, { start: number, count: number }>()
  // A callback hook: the usual request (no limit set) costs no promise.
  app.addHook('onRequest', (req, reply, done) => {
    if (!req.orgId) return done()
    const limit = app.dyte.settings.get(req.orgId).rate_limit
    if (!limit) return done()
    const now = app.dyte.clock.now(req.orgId)
    const size = limit.window_seconds * 1000
    const start = Math.floor(now / size) * size
    let w = windows.get(req.orgId)
    if (!w || w.start !== start) {
      w = { start, count: 0 }
      windows.set(req.orgId, w)
    }
    w.count++
    const resetS = Math.max(1, Math.ceil((start + size - now) / 1000))
    if (family === 'cloudflare') {
      reply.header('ratelimit', `"default";r=${Math.max(0, limit.requests - w.count)};t=${resetS}`)
      reply.header('ratelimit-policy', `"default";q=${limit.requests};w=${limit.window_seconds}`)
    }
    if (w.count <= limit.requests) return done()
    const headers: Record<string, string> = { 'retry-after': String(resetS) }
    if (family === 'dyte') headers['x-envoy-ratelimited'] = 'true'
    done(new ApiError(429, `rate limit exceeded: ${limit.requests} requests per ${limit.window_seconds} seconds (rate_limit in /_mock/settings); retry after ${resetS} s`, headers))
  })
}
