// Registers one Fastify route per spec operation. Validation and serialisation schemas come
// from the spec; the handler is looked up by operationId. An operation with no handler
// answers 501 naming itself, never a made-up 200.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { notImplemented } from '../errors.js'
import { serializable, toJsonSchema, type JsonSchema, type Operation, type Parameter } from '../spec.js'

export type Handler = (req: FastifyRequest<any>, reply: FastifyReply) => Promise<unknown>
export type Handlers = Record<string, Handler>

declare module 'fastify' {
  interface FastifyContextConfig { operationId?: string, public?: boolean, optionalAuth?: boolean, bearer?: boolean }
}

/** Route parameter names may not contain '-' (the router reads it as a separator). */
const paramName = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_')

export function routeSchema (op: Operation) {
  const group = (where: Parameter['in']) => {
    const ps = op.parameters.filter((p) => p.in === where)
    if (ps.length === 0) return undefined
    const name = (p: Parameter) => (where === 'path' ? paramName(p.name) : p.name)
    return {
      type: 'object',
      properties: Object.fromEntries(ps.map((p) => [name(p), toJsonSchema(p.schema)])),
      required: ps.filter((p) => p.required).map(name),
    }
  }
  const response: Record<string, JsonSchema> = {}
  for (const [code, schema] of Object.entries(op.responses)) {
    if (schema) response[code] = serializable(toJsonSchema(schema)!)
  }
  const schema: Record<string, unknown> = { response }
  const params = group('path')
  const querystring = group('query')
  if (params) schema.params = params
  if (querystring) schema.querystring = querystring
  if (op.body) schema.body = toJsonSchema(op.body.schema)
  return schema
}

/** Query parameters declared `explode: false` arrays arrive as `a,b,c`: split them before validation. */
function splitCommaArrays (op: Operation) {
  const names = op.parameters.filter((p) => p.in === 'query' && p.explode === false && p.schema.type === 'array').map((p) => p.name)
  if (names.length === 0) return undefined
  return async (req: FastifyRequest) => {
    const q = req.query as Record<string, unknown>
    for (const n of names) {
      const v = q[n]
      if (typeof v === 'string') q[n] = v.split(',').filter(Boolean)
      else if (Array.isArray(v)) q[n] = v.flatMap((x) => String(x).split(',')).filter(Boolean)
    }
  }
}

/** An optional request body that was not sent validates as an empty object. */
async function optionalBody (req: FastifyRequest) {
  if (req.body === undefined || req.body === null) req.body = {}
}

export function registerOperations (app: FastifyInstance, operations: Operation[], handlers: Handlers) {
  for (const op of operations) {
    const schema = routeSchema(op)
    const handler = handlers[op.operationId] ?? (async () => { throw notImplemented(op.operationId) })
    const route: RouteOptions = {
      method: op.method.toUpperCase() as RouteOptions['method'],
      url: (op.server + op.path).replace(/\{([^}]+)\}/g, (_, n: string) => ':' + paramName(n)),
      schema: { ...schema, operationId: op.operationId, tags: op.tags } as RouteOptions['schema'],
      config: { operationId: op.operationId, public: op.public, optionalAuth: op.optionalAuth, bearer: op.security?.includes('orgBearer') },
      handler,
    }
    const hooks = [splitCommaArrays(op), op.body && !op.body.required ? optionalBody : undefined].filter((h) => h !== undefined)
    if (hooks.length) route.preValidation = hooks
    app.route(route)
  }
}
