// createServer(options) builds the whole app. It is usable in-process (app.inject) or listened on.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { Ajv, type ValidateFunction } from 'ajv'
import fastJson from 'fast-json-stringify'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSpec, nullPruner, specDir, type JsonSchema, type LoadedSpec, type Operation } from './spec.js'
import { openDb, startCheckpoints } from './store/db.js'
import { createStore } from './store/index.js'
import { createKeys } from './keys.js'
import { createContext } from './context.js'
import { ensureOrg } from './simulate/orgs.js'
import { registerErrorHandler, formatValidationErrors } from './plugins/errors.js'
import { errorBody } from './errors.js'
import { registerAuth, registerBearerAuth, parseOrgs } from './plugins/auth.js'
import { registerResponseCheck, type Violation } from './plugins/response-check.js'
import { registerFaults } from './plugins/faults.js'
import { registerOperations, type Handlers } from './routes/index.js'
import { meetings } from './routes/meetings.js'
import { participants } from './routes/participants.js'
import { sessionAliases, sessions } from './routes/sessions.js'
import { recordingAliases, recordings } from './routes/recordings.js'
import { livestreams } from './routes/livestreams.js'
import { webhooks } from './routes/webhooks.js'
import { activeSession } from './routes/active-session.js'
import { mock } from './routes/mock.js'
import { presets } from './routes/presets.js'
import { analytics } from './routes/analytics.js'
import { orgs as orgRoutes } from './routes/orgs.js'
import { realtimeKitHandlers } from './routes/realtimekit.js'
import { docsUi } from './docs-ui.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const pkg = JSON.parse(readFileSync(join(specDir, '..', 'package.json'), 'utf8')) as { version: string }

export interface ServerOptions {
  /** SQLite file, or ':memory:' for throwaway state. Default ./data/dyte-mock.db */
  dbPath?: string
  /** Accepted credentials as `org1:key1,org2:key2` or a map; default: any org id with a non-empty key. */
  orgs?: string | Map<string, string>
  logLevel?: string
  logger?: FastifyServerOptions['logger']
  /** Wall clock the org clocks follow (tests may pass a fake). */
  wall?: () => number
  /** Seed for deterministic ids (DYTE_MOCK_SEED). */
  seed?: string
  /** Origin used in URLs this server hands out in events; default: the address it listens on. */
  publicUrl?: string
  /** RSA private keys (PKCS#8 PEM) to use instead of generating them on first start. */
  signingKeys?: { jwt?: string, webhook?: string }
  /** Called for every response that does not match the spec (also enabled by validateResponses). */
  onSpecViolation?: (v: Violation) => void
  validateResponses?: boolean
}

export const handlers: Handlers = {
  ...meetings, ...participants, ...sessions, ...sessionAliases, ...recordings, ...recordingAliases, ...livestreams, ...webhooks,
  ...activeSession, ...presets, ...analytics, ...orgRoutes,
}
export const mockHandlers: Handlers = mock

/**
 * One document for Swagger UI: the Dyte API plus the control plane. Control-plane paths keep
 * their own server (/_mock), so "Try it out" reaches them; their components are renamed Mock*.
 */
function docsDocument (v2: LoadedSpec, control: LoadedSpec) {
  const doc = structuredClone(v2.document)
  const own = control.document.components
  const renamed = JSON.parse(JSON.stringify({ paths: control.document.paths, components: own })
    .replace(/"#\/components\/(schemas|responses|parameters)\/([A-Za-z]+)"/g, '"#/components/$1/Mock$2"'))
  doc.tags = [...doc.tags, ...control.document.tags]
  for (const [path, item] of Object.entries<any>(renamed.paths)) {
    if (doc.paths[path]) throw new Error(`control plane path ${path} collides with an API path`)
    doc.paths[path] = { servers: control.document.servers, ...item }
  }
  for (const kind of ['schemas', 'responses', 'parameters']) {
    for (const [name, value] of Object.entries(renamed.components[kind] ?? {})) doc.components[kind][`Mock${name}`] = value
  }
  return doc
}

export async function createServer (options: ServerOptions = {}): Promise<FastifyInstance> {
  const started = Date.now()
  const logLevel = options.logLevel ?? 'info'
  const app = Fastify({
    logger: options.logger ?? { level: logLevel },
    // Per-request log lines cost a large share of throughput; they are on at debug level.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(logLevel) }),
    bodyLimit: 1024 * 1024,
    // The API has no HEAD operations; not doubling every GET route halves router work at start.
    exposeHeadRoutes: false,
    // Cloudflare's SDK calls RealtimeKit below /client/v4 (its default base URL's path); the same
    // routes answer with and without it.
    rewriteUrl: (req) => (req.url!.startsWith('/client/v4/') ? req.url!.slice('/client/v4'.length) : req.url!),
    // Ids are uuids, but a long one must still get a clear error rather than a router 414.
    routerOptions: { maxParamLength: 1000 },
    // Router-level refusals (a bad percent-encoding, an over-long parameter) in Dyte's envelope too.
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode ?? 400
      const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL path is not valid percent-encoded UTF-8'
        : err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 1000 characters' : err.message
      ;(reply as FastifyReply).code(status).send(errorBody(status, message))
    },
    schemaErrorFormatter: (errors, dataVar) => new Error(formatValidationErrors(errors as any, dataVar)),
  })

  // Bodies are validated as sent (no type coercion); query strings and paths are strings on the
  // wire, so they are coerced to the declared types. Both fill in the spec's defaults.
  const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: false }))
  const paramAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: 'array' }))
  // Compiled on first use: a server with ~200 routes starts in a fraction of the time, and an
  // operation a test suite never calls costs nothing.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    let fn: ValidateFunction | undefined
    const validate = (data: unknown) => {
      fn ??= (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema)
      const valid = fn(data)
      validate.errors = fn.errors
      return valid
    }
    validate.errors = null as ValidateFunction['errors']
    return validate
  })
  // Absent values are left out where the spec does not allow null (rather than written as "").
  app.setSerializerCompiler(({ schema }) => {
    let fn: ((data: unknown) => string) | undefined
    let prune: ((data: unknown) => unknown) | undefined | null
    return (data: unknown) => {
      if (prune === undefined) prune = nullPruner(schema as JsonSchema) ?? null
      return (fn ??= fastJson(schema as object))(prune === null ? data : prune(data))
    }
  })

  // JSON only (anything else is a 415); an empty body with a JSON content type counts as no body.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined)
    try {
      // The raw text is kept for the built-in webhook inbox, which must show the exact bytes.
      ;(_req as { rawBody?: string }).rawBody = body as string
      done(null, JSON.parse(body as string))
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined)
    }
  })

  const db = openDb(options.dbPath ?? './data/dyte-mock.db')
  const stopCheckpoints = startCheckpoints(db)
  const store = createStore(db)
  const keys = createKeys(store, options.signingKeys)
  let closing = false
  const ctx = createContext({
    store, keys, seed: options.seed, wall: options.wall, baseUrl: options.publicUrl,
    userAgent: `dyte-mock/${pkg.version} (webhook delivery)`,
    onError: (err) => app.log.error({ err }, 'a scheduled transition or webhook delivery failed'),
  })
  app.decorate('dyte', ctx)
  if (!options.publicUrl) {
    app.addHook('onListen', async () => {
      const a = app.server.address()
      if (a && typeof a === 'object') {
        const host = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.family === 'IPv6' ? `[${a.address}]` : a.address
        ctx.baseUrl = `http://${host}:${a.port}`
      }
    })
  }
  // Generate missing signing keys in the background so the first token is quick.
  // Missing signing keys are generated in the background shortly after start-up (not during it:
  // RSA key generation would compete with start-up for the CPU); the first caller waits for them.
  const preloadKeys = () => {
    for (const name of ['jwt', 'webhook'] as const) {
      void keys.load(name).catch((err) => { if (!closing) app.log.error({ err }, `could not create the ${name} signing key`) })
    }
  }
  app.addHook('onReady', async () => { setTimeout(preloadKeys, 250).unref() })

  registerErrorHandler(app)

  const v2 = loadSpec('dyte-v2.yaml')
  const control = loadSpec('mock.yaml')
  await app.register(swagger, { mode: 'static', specification: { document: docsDocument(v2, control) as any } })
  await app.register(swaggerUi, docsUi(pkg.version))

  const orgs = typeof options.orgs === 'string' ? parseOrgs(options.orgs) : options.orgs
  // An app made through POST …/realtime/kit/apps also takes its creator's key (while that key is
  // configured): as its Bearer token, and as its Basic password under /v2.
  const configuredKeys = orgs && new Set(orgs.values())
  const appKey = (appId: string) => { const k = store.apps.creator(appId); return k !== undefined && configuredKeys?.has(k) ? k : undefined }
  const credentials = {
    orgs,
    onOrg: (orgId: string) => ensureOrg(ctx, orgId),
    extraKey: (orgId: string) => store.orgRecords.apiKey(orgId) ?? appKey(orgId),
    appKey,
  }
  const report = options.onSpecViolation ?? (options.validateResponses
    ? (v: Violation) => app.log.warn({ violation: v }, `response does not match the spec: ${v.operationId} ${v.status}`)
    : undefined)
  /** One API surface: its credentials, its operations, and (when asked) the check of its answers against its spec. */
  const serve = (operations: Operation[], hs: Handlers, authenticate: typeof registerAuth, undeclaredErrors?: JsonSchema, faults = true) =>
    app.register(async (api) => {
      authenticate(api, credentials)
      if (faults) {
        registerFaults(api)
        for (const op of operations) ctx.faults.operationIds.add(op.operationId)
      }
      if (report) registerResponseCheck(api, operations, report, undeclaredErrors)
      registerOperations(api, operations, hs)
    })

  await serve(v2.operations, handlers, registerAuth)
  await serve(control.operations, mockHandlers, registerAuth, undefined, false)

  // RealtimeKit: the same state under Cloudflare's paths (also below /client/v4: see rewriteUrl).
  // Its document declares almost no errors; they are answered (and checked) in Dyte's envelope.
  const rtk = loadSpec('realtimekit.json')
  const successCodes = Object.fromEntries(rtk.operations.map((op) => {
    const codes = Object.keys(op.responses).filter((c) => /^2\d\d$/.test(c))
    return [op.operationId, codes.length === 1 ? Number(codes[0]) : undefined]
  }))
  const errorSchema = v2.operations.find((op) => op.operationId === 'getMeeting')!.responses['404']!
  await serve(rtk.operations.map((op) => ({ ...op, server: '' })), realtimeKitHandlers(handlers, successCodes), registerBearerAuth, errorSchema)

  app.get('/health', { schema: { hide: true } as any }, async () => ({
    status: 'ok',
    version: pkg.version,
    spec_version: v2.version,
    uptime_s: Math.round((Date.now() - started) / 1000),
  }))
  app.get('/', { schema: { hide: true } as any }, async (_req, reply) => reply.redirect('/docs'))

  // Transitions that fell due while the server was down run now.
  app.addHook('onReady', async () => {
    for (const { org_id: orgId } of store.timers.earliest()) {
      if (!ctx.clock.isFrozen(orgId)) ctx.scheduler.runDue(orgId, ctx.clock.now(orgId))
    }
    ctx.scheduler.rearm()
    ctx.deliverer.kick()
  })
  // Closing waits for requests under way: long-polls are answered at once, and connections still
  // open a second later (a client that stopped mid-body) are dropped, so a signal ends the process promptly.
  app.addHook('preClose', async () => {
    await ctx.deliverer.close()
    setTimeout(() => app.server.closeAllConnections?.(), 1000).unref()
  })
  app.addHook('onClose', async () => {
    closing = true
    keys.close()
    ctx.scheduler.close()
    stopCheckpoints()
    db.close()
  })
  return app
}
