// Applies the calling org's faults (/_mock/faults) to the Dyte and RealtimeKit APIs. Runs after
// authentication, before validation: a fault stands for the service failing, whatever was sent.
import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../errors.js'
import { rtkMapping } from '../routes/realtimekit.js'

export function registerFaults (app: FastifyInstance) {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.orgId || !app.dyte.faults.has(req.orgId)) return
    const id = req.routeOptions.config?.operationId
    const fault = app.dyte.faults.take(req.orgId, { method: req.method, url: req.url, operationIds: [id, id && rtkMapping[id]?.handler] })
    if (!fault) return
    const { status, message, retry_after_s: retryAfter, delay_ms: delay, reset } = fault.spec
    if (delay) await sleep(delay)
    if (reset) {
      reply.hijack()
      req.raw.socket?.destroy()
      return
    }
    if (status === undefined) return
    const headers: Record<string, string> = { 'x-dyte-mock-fault': fault.id }
    if (retryAfter !== undefined || status === 429) headers['retry-after'] = String(retryAfter ?? 1)
    throw new ApiError(status, message ?? STATUS_CODES[status] ?? `Error ${status}`, headers)
  })
}
