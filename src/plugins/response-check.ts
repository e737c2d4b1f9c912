// Optional: validates every response against the spec's schema for its operation and status
// code, and reports any mismatch. The test suite turns it on so the server cannot drift from
// its own spec; `--validate-responses` turns it on for a running server.
import type { FastifyInstance } from 'fastify'
import type { Ajv, ValidateFunction } from 'ajv'
import { toJsonSchema, type JsonSchema, type Operation } from '../spec.js'
import { answersLive } from './shapes.js'
import { newAjv } from '../lazy.js'
import { routeConfig } from './route-config.js'

export interface Violation { operationId: string, method: string, url: string, status: number, errors: string }

/**
 * `undeclaredErrors`: the schema for error statuses an operation does not declare (the
 * RealtimeKit document declares almost none; dyte-mock answers them in Dyte's envelope).
 * `liveShapes`: an answer in the live shapes (the org's shapes setting) is checked against the
 * operation's live responses.
 */
export function registerResponseCheck (app: FastifyInstance, operations: Operation[], report: (v: Violation) => void, undeclaredErrors?: JsonSchema, liveShapes = false) {
  let ajv: Ajv | undefined // made on the first answer checked
  const byId = new Map(operations.map((op) => [op.operationId, op]))
  const compiled = new Map<string, ValidateFunction | null | 'not-json'>()

  app.addHook('onSend', async (req, reply, payload) => {
    const operationId = routeConfig(req).operationId
    const op = operationId ? byId.get(operationId) : undefined
    if (!op) return payload
    const status = reply.statusCode
    // Only JSON answers have a schema to meet (files are served as CSV, VTT, MP4, …).
    const type = reply.getHeader('content-type')
    if (type !== undefined && !String(type).includes('json')) return payload
    const live = liveShapes && answersLive(req, op, status)
    const responses = live ? op.live!.responses : op.responses
    const key = `${op.operationId} ${status}${live ? ' live' : ''}`
    const fail = (errors: string) => report({ operationId: op.operationId, method: req.method, url: req.url, status, errors: live ? `(live shapes) ${errors}` : errors })
    if (!compiled.has(key)) {
      const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => c in responses)
      const schema = code === undefined ? (status >= 400 ? undeclaredErrors : undefined) : responses[code]
      ajv ??= newAjv({ strict: false, allErrors: true })
      compiled.set(key, schema ? ajv.compile(toJsonSchema(schema)!) : schema === null ? 'not-json' : null)
    }
    const validate = compiled.get(key)
    if (validate === 'not-json') return payload
    if (validate === null) {
      fail(`status ${status} is not declared for ${op.operationId}`)
      return payload
    }
    let body: unknown
    try { body = JSON.parse(String(payload)) } catch { fail('body is not JSON'); return payload }
    if (!validate!(body)) fail(ajv!.errorsText(validate!.errors))
    return payload
  })
}
