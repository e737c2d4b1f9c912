// Registers one Fastify route per spec operation. Validation and serialisation schemas come
// from the spec; the handler is looked up by operationId. An operation with no handler
// answers 501 naming itself, never a made-up 200.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify'
import { notImplemented } from '../errors.js'
import { toJsonSchema, type JsonSchema, type Operation, type Parameter } from '../spec.js'
import type { Authenticate } from '../plugins/auth.js'
import { registerFaults } from '../plugins/faults.js'
import { registerRateLimit, type RateLimitHeaders } from '../plugins/rate-limit.js'
import { registerResponseCheck, type Violation } from '../plugins/response-check.js'
import { registerLiveShapes } from '../plugins/shapes.js'
import { keptAnswers } from '../plugins/kept-answers.js'

/** Any operation's handler (typed by its operation: see routes/types.ts). */
export type AnyHandler = (req: never, reply: FastifyReply) => Promise<unknown>
export type Handlers = Record<string, AnyHandler>

declare module 'fastify' {
  interface FastifyContextConfig {
    operationId?: string
    /** RealtimeKit's layout: the Dyte operation (or RealtimeKit handler) that answers this operation. */
    answersAs?: string
    public?: boolean
    optionalAuth?: boolean
    bearer?: boolean
    /** Also takes a participant's token as Bearer credentials (spec security participantBearer). */
    participantToken?: boolean
  }
}

/** Route parameter names may not contain '-' (the router reads it as a separator). */
const paramName = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_')

function routeSchema (op: Operation) {
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
    if (schema) response[code] = schema // as the spec writes it: the serializer compiler converts it on first use (plugins/schemas.ts)
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

function registerOperations (app: FastifyInstance, operations: Operation[], handlers: Handlers, answersAs?: (operationId: string) => string | undefined, keep: string[] = []) {
  const kept = keep.length ? keptAnswers() : undefined
  if (kept) app.decorateRequest('keptAnswer', null)
  for (const op of operations) {
    const schema = routeSchema(op)
    // The request is validated against the operation's schemas: it has the types its handler declares.
    const handler = (handlers[op.operationId] ?? (async () => { throw notImplemented(op.operationId) })) as RouteHandlerMethod
    const route: RouteOptions = {
      method: op.method.toUpperCase() as RouteOptions['method'],
      url: (op.server + op.path).replace(/\{([^}]+)\}/g, (_, n: string) => ':' + paramName(n)),
      schema: { ...schema, operationId: op.operationId, tags: op.tags } as RouteOptions['schema'],
      config: {
        operationId: op.operationId, answersAs: answersAs?.(op.operationId),
        public: op.public, optionalAuth: op.optionalAuth, bearer: op.security?.includes('orgBearer'),
        participantToken: op.security?.includes('participantBearer'),
      },
      handler,
    }
    const hooks = [splitCommaArrays(op), op.body && !op.body.required ? optionalBody : undefined].filter((h) => h !== undefined)
    if (hooks.length) route.preValidation = hooks
    // An answer in the live shapes depends on the org's setting too, not on the rows alone.
    if (kept && keep.includes(op.operationId) && !op.live) {
      route.preHandler = kept.preHandler
      route.onSend = kept.onSend
    }
    app.route(route)
  }
}

export interface ApiOptions {
  operations: Operation[]
  handlers: Handlers
  authenticate: Authenticate
  /** Whether /_mock/faults apply (to the APIs, not to the control plane). */
  faults: boolean
  /** Whether the org's rate_limit applies, and whose headers the answers carry. */
  rateLimit?: RateLimitHeaders
  /** Called for every answer that does not match its operation's spec (when responses are checked). */
  report?: (v: Violation) => void
  /** The schema of error answers an operation does not declare. */
  undeclaredErrors?: JsonSchema
  answersAs?: (operationId: string) => string | undefined
  /** Whether an org's shapes setting applies: `live` answers in the operations' x-live-responses. */
  liveShapes?: boolean
  /** GET operations whose answer depends on nothing but the rows: kept while the data version holds (plugins/kept-answers.ts). */
  keep?: string[]
}

/** One API surface, in its own plugin: its credentials, its faults, the check of its answers, its operations. */
export function serveApi (api: FastifyInstance, o: ApiOptions) {
  api.addHook('onRequest', o.authenticate)
  if (o.rateLimit) registerRateLimit(api, o.rateLimit)
  if (o.faults) registerFaults(api)
  if (o.liveShapes) registerLiveShapes(api, o.operations)
  if (o.report) registerResponseCheck(api, o.operations, o.report, o.undeclaredErrors, o.liveShapes)
  registerOperations(api, o.operations, o.handlers, o.answersAs, o.keep)
}
