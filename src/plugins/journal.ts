// Records every answered request to the Dyte API (/v2), RealtimeKit's layout (/accounts/…, also
// below /client/v4) in its org's journal (simulate/journal.ts), including requests no route
// serves and requests refused with 401, under the org they named. On the hot path this is a
// prefix test, one clock read and the entry's text written to the org's buffer; the entry's
// shape is built when it is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HINT_HEADER } from './hints.js'
import { basicPair } from './credentials.js'
import { routeConfig } from './route-config.js'

const JOURNALED = /^\/(v2(\/|\?|$)|accounts\/|client\/v4\/)/
const RTK_APP = /^\/(?:client\/v4)?\/?accounts\/[^/]+\/realtime\/kit\/([^/?]+)/

/** The org a request that passed no credential check names: the app id in its path, its Basic user, or its participant token's org. */
function claimedOrg (req: FastifyRequest): string | undefined {
  const app = RTK_APP.exec(req.originalUrl)?.[1]
  if (app !== undefined && app !== 'apps') return decodeURIComponent(app)
  const [scheme, credentials] = (req.headers.authorization ?? '').trim().split(/\s+/)
  if (!credentials) return undefined
  if (/^basic$/i.test(scheme)) {
    return basicPair(credentials)?.user || undefined
  }
  try {
    const claims = JSON.parse(Buffer.from(credentials.split('.')[1] ?? '', 'base64url').toString()) as { orgId?: unknown }
    return typeof claims.orgId === 'string' && claims.orgId ? claims.orgId : undefined
  } catch {
    return undefined
  }
}

const header = (reply: FastifyReply, name: string) => {
  const v = reply.getHeader(name)
  return v === undefined ? undefined : String(v)
}

export function useJournal (app: FastifyInstance) {
  const { journal, clock, store } = app.dyte
  if (!journal.enabled) return
  app.addHook('onResponse', (req, reply, done) => {
    if (JOURNALED.test(req.originalUrl)) {
      const status = reply.statusCode
      const orgId = req.orgId || (status === 401 || status === 404 ? claimedOrg(req) : undefined)
      if (orgId) {
        const config = routeConfig(req)
        journal.record(orgId, {
          atMs: store.orgs.isKnown(orgId) ? clock.now(orgId) : clock.wall(),
          method: req.method,
          url: req.originalUrl,
          operationId: config?.operationId,
          answersAs: config?.answersAs,
          headers: req.headers,
          rawBody: req.rawBody,
          status,
          durationMs: reply.elapsedTime,
          faultId: status >= 400 ? header(reply, 'x-dyte-mock-fault') : undefined,
          hint: status >= 400 ? header(reply, HINT_HEADER) : undefined,
        })
      }
    }
    done()
  })
}
