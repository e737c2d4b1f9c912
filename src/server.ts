// createServer(options) builds the whole app. It is usable in-process (app.inject) or listened on.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSpec, specDir } from './spec.js'
import { openDb } from './store/db.js'
import { createStore } from './store/index.js'
import { realClock, type Clock } from './simulate/clock.js'
import { createKeys } from './keys.js'
import { createTokens } from './tokens.js'
import { createContext } from './context.js'
import { registerErrorHandler, formatValidationErrors } from './plugins/errors.js'
import { registerAuth, parseOrgs } from './plugins/auth.js'
import { registerResponseCheck, type Violation } from './plugins/response-check.js'
import { registerOperations, type Handlers } from './routes/index.js'
import { meetings } from './routes/meetings.js'
import { participants } from './routes/participants.js'
import { sessionAliases, sessions } from './routes/sessions.js'
import { recordingAliases, recordings } from './routes/recordings.js'
import { livestreams } from './routes/livestreams.js'
import { webhooks } from './routes/webhooks.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const pkg = JSON.parse(readFileSync(join(specDir, '..', 'package.json'), 'utf8')) as { version: string }

export interface ServerOptions {
  /** SQLite file, or ':memory:' for throwaway state. Default ./data/dyte-mock.db */
  dbPath?: string
  /** Accepted credentials as `org1:key1,org2:key2` or a map; default: any org id with a non-empty key. */
  orgs?: string | Map<string, string>
  logLevel?: string
  logger?: FastifyServerOptions['logger']
  clock?: Clock
  newId?: () => string
  /** Called for every response that does not match the spec (also enabled by validateResponses). */
  onSpecViolation?: (v: Violation) => void
  validateResponses?: boolean
}

export const handlers: Handlers = {
  ...meetings, ...participants, ...sessions, ...sessionAliases, ...recordings, ...recordingAliases, ...livestreams, ...webhooks,
}

export async function createServer (options: ServerOptions = {}): Promise<FastifyInstance> {
  const started = Date.now()
  const logLevel = options.logLevel ?? 'info'
  const app = Fastify({
    logger: options.logger ?? { level: logLevel },
    // Per-request log lines cost a large share of throughput; they are on at debug level.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(logLevel) }),
    bodyLimit: 1024 * 1024,
    schemaErrorFormatter: (errors, dataVar) => new Error(formatValidationErrors(errors as any, dataVar)),
  })

  // Bodies are validated as sent (no type coercion); query strings and paths are strings on the
  // wire, so they are coerced to the declared types. Both fill in the spec's defaults.
  const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: false }))
  const paramAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema))

  // JSON only (anything else is a 415); an empty body with a JSON content type counts as no body.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined)
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined)
    }
  })

  const db = openDb(options.dbPath ?? './data/dyte-mock.db')
  const store = createStore(db)
  const clock = options.clock ?? realClock
  const keys = createKeys(store)
  const ctx = createContext({ store, clock, keys, tokens: createTokens(keys), newId: options.newId })
  app.decorate('dyte', ctx)
  // Generate missing signing keys in the background so the first token is quick.
  void keys.load('jwt').catch((err) => app.log.error({ err }, 'could not create the token signing key'))

  registerErrorHandler(app)

  const v2 = loadSpec('dyte-v2.yaml')
  await app.register(swagger, { mode: 'static', specification: { document: v2.document as any } })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', persistAuthorization: true } })

  const orgs = typeof options.orgs === 'string' ? parseOrgs(options.orgs) : options.orgs
  await app.register(async (api) => {
    registerAuth(api, { orgs, onOrg: (orgId) => store.orgs.ensure(orgId, ctx.now(orgId)) })
    if (options.onSpecViolation || options.validateResponses) {
      registerResponseCheck(api, v2.operations, options.onSpecViolation ??
        ((v) => app.log.warn({ violation: v }, `response does not match the spec: ${v.operationId} ${v.status}`)))
    }
    registerOperations(api, v2.operations, handlers)
  }, { prefix: '/v2' })

  app.get('/health', { schema: { hide: true } as any }, async () => ({
    status: 'ok',
    version: pkg.version,
    spec_version: v2.version,
    uptime_s: Math.round((Date.now() - started) / 1000),
  }))
  app.get('/', { schema: { hide: true } as any }, async (_req, reply) => reply.redirect('/docs'))

  app.addHook('onClose', async () => { db.close() })
  return app
}
