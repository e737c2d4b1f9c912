// The matched route's config (operationId, auth flags). Fastify's req.routeOptions builds a new
// object each time it is read, and several hooks ask on every request: the config is read from it
// once per request and kept on the request.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** See routeConfig(). */
    keptRouteConfig: FastifyContextConfig | null
  }
}

const NONE: FastifyContextConfig = Object.freeze({})

export function useRouteConfig (app: FastifyInstance) {
  app.decorateRequest('keptRouteConfig', null)
}

/** The config of the route the request matched ({} for none). */
export const routeConfig = (req: FastifyRequest): FastifyContextConfig =>
  (req.keptRouteConfig ??= req.routeOptions.config ?? NONE)
