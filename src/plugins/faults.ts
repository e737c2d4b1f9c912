// Applies the calling org's faults (/_mock/faults) to the Dyte and RealtimeKit APIs. Runs after
// authentication, before validation: a fault stands for the service failing, whatever was sent.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { injected } from '../errors.js'
import { routeConfig } from './route-config.js'

export function registerFaults (app: FastifyInstance) {
  // A callback hook: the usual request (no fault set) costs no promise.
  app.addHook('onRequest', (req, reply, done) => {
    if (!req.orgId || !app.dyte.faults.has(req.orgId)) return done()
    apply(app, req, reply).then(() => done(), done)
  })
}

/** Takes the request's fault, if one matches, and applies it: a delay, a dropped connection, an error answer. */
async function apply (app: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
  const { operationId, answersAs } = routeConfig(req)
  const fault = app.dyte.faults.take(req.orgId, { method: req.method, url: req.url, operationIds: [operationId, answersAs] })
  if (!fault) return
  const { status, message, retry_after_s: retryAfter, delay_ms: delay, reset } = fault.spec
  if (delay) await sleep(delay)
  if (reset) {
    reply.hijack()
    req.raw.socket?.destroy()
    return
  }
  if (status !== undefined) throw injected(status, fault.id, message, retryAfter)
}
