// createServer(options) builds the whole app, usable in-process (app.inject) or listened on. The
// steps follow Fastify's order: how requests are read and answered, the docs, who is calling, the
// three API surfaces, then start and close.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSpec, specDir, type LoadedSpec } from './spec.js'
import { createContext, type ContextOptions } from './context.js'
import { specCompilers, useSpecSchemas } from './plugins/schemas.js'
import { errorOptions, useErrorEnvelope } from './plugins/errors.js'
import { useDocs } from './plugins/docs.js'
import { parseOrgs, useAuth } from './plugins/auth.js'
import { useHints } from './plugins/hints.js'
import { useJournal } from './plugins/journal.js'
import { useLifecycle } from './plugins/lifecycle.js'
import { useCoverage } from './plugins/coverage.js'
import { useCommitWait } from './plugins/commits.js'
import { useRouteConfig } from './plugins/route-config.js'
import { lazyChildLogger } from './plugins/lazy-logger.js'
import { loadFixtures } from './plugins/fixtures.js'
import { coverageCatalog } from './simulate/coverage.js'
import type { Violation } from './plugins/response-check.js'
import type { Send } from './simulate/send.js'
import type { RateLimit, Shapes } from './simulate/setting-types.js'
import type { Settings } from './simulate/settings.js'
import { dyteApi } from './routes/dyte.js'
import { realtimeKitApi } from './routes/realtimekit.js'
import { controlPlane } from './routes/mock/index.js'

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
  /** Sends webhook deliveries in place of fetch (tests capture them in memory with it). */
  deliver?: Send
  /** Requests kept in each org's journal (GET /_mock/requests), in memory; default 10,000; 0 turns the journal off. */
  journalSize?: number
  /** A folder of snapshot documents (*.json) to import and restore, each into the org it names, at start (DYTE_MOCK_FIXTURES). */
  fixtures?: string
  /** Where to write the coverage report of all orgs when the server stops: JSON, or Markdown for a .md file (DYTE_MOCK_COVERAGE_OUT). */
  coverageOut?: string
  /** The rate_limit every org starts with (DYTE_MOCK_RATE_LIMIT); default none. */
  rateLimit?: RateLimit | null
  /** The shapes every org starts with (DYTE_MOCK_SHAPES): the served document's (seed, the default) or the live Dyte API's. */
  shapes?: Shapes
}

export async function createServer (options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(options))
  const specs = { v2: loadSpec('dyte-v2.yaml'), control: loadSpec('mock.yaml'), realtimeKit: loadSpec('realtimekit.json') }
  const report = options.onSpecViolation ?? (options.validateResponses
    ? (v: Violation) => app.log.warn({ violation: v }, `response does not match the spec: ${v.operationId} ${v.status}`)
    : undefined)

  useSpecSchemas(app) // JSON bodies only
  useRouteConfig(app) // the matched route's config, read once per request
  const orgsConfigured = (typeof options.orgs === 'string' ? parseOrgs(options.orgs) : options.orgs) !== undefined
  useErrorEnvelope(app, useHints(app, orgsConfigured)) // every failure in Dyte's envelope, with a hint in a header
  await useDocs(app, specs, pkg.version) // Swagger UI at /docs
  app.decorate('dyte', createContext(contextOptions(app, options, specs))) // the store, clocks and simulator
  useCommitWait(app) // answers wait for the group commit of what they wrote
  useJournal(app) // every API request, for GET /_mock/requests
  const auth = await useAuth(app, options.orgs) // who is calling: Basic, the CLI's Bearer, RealtimeKit's tokens
  useCoverage(app, { out: options.coverageOut }) // which operations and statuses the suite reached
  await app.register(dyteApi, { spec: specs.v2, authenticate: auth.basic, report })
  await app.register(realtimeKitApi, { spec: specs.realtimeKit, v2: specs.v2, authenticate: auth.bearer, report })
  await app.register(controlPlane, { spec: specs.control, authenticate: auth.basic, report })
  if (options.fixtures) { // snapshots a team keeps in its repository
    try {
      loadFixtures(app, options.fixtures, specs.control)
    } catch (err) {
      await app.close()
      throw err
    }
  }
  useLifecycle(app, { publicUrl: Boolean(options.publicUrl), version: pkg.version, specVersion: specs.v2.version }) // start, close, /health
  return app
}

function contextOptions (app: FastifyInstance, options: ServerOptions, specs: Record<'v2' | 'realtimeKit', LoadedSpec>): ContextOptions {
  return {
    dbPath: options.dbPath ?? './data/dyte-mock.db',
    seed: options.seed,
    wall: options.wall,
    publicUrl: options.publicUrl,
    signingKeys: options.signingKeys,
    operationIds: [...specs.v2.operations, ...specs.realtimeKit.operations].map((op) => op.operationId),
    userAgent: `dyte-mock/${pkg.version} (webhook delivery)`,
    onError: (err) => app.log.error({ err }, 'a background task failed (a scheduled transition, a webhook delivery or a checkpoint)'),
    send: options.deliver,
    journalSize: options.journalSize ?? 10_000,
    settings: startSettings(options),
    catalog: coverageCatalog(specs.v2, specs.realtimeKit),
  }
}

/** The settings every org starts with, where the options change the built-in defaults. */
function startSettings (options: ServerOptions): Partial<Settings> {
  const settings: Partial<Settings> = {}
  if (options.rateLimit) settings.rate_limit = options.rateLimit
  if (options.shapes) settings.shapes = options.shapes
  return settings
}

function fastifyOptions (options: ServerOptions): FastifyServerOptions {
  const logLevel = options.logLevel ?? 'info'
  return {
    logger: options.logger ?? { level: logLevel },
    // Per-request log lines cost a large share of throughput; they are on at debug level.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(logLevel) }),
    // A request's child logger is made when it first logs (most never do).
    childLoggerFactory: lazyChildLogger,
    bodyLimit: 1024 * 1024,
    // The API has no HEAD operations; not doubling every GET route halves router work at start.
    exposeHeadRoutes: false,
    // Cloudflare's SDK calls RealtimeKit below /client/v4 (its default base URL's path); the same
    // routes answer with and without it.
    rewriteUrl: (req) => (req.url!.startsWith('/client/v4/') ? req.url!.slice('/client/v4'.length) : req.url!),
    // Ids are uuids, but a long one must still get a clear error rather than a router 414.
    routerOptions: { maxParamLength: 1000 },
    // Validation and serialization from the specs, compiled on first use (plugins/schemas.ts).
    schemaController: { compilersFactory: specCompilers },
    ...errorOptions,
  }
}

export { startDyteMock, type StartOptions, type DyteMock } from './start.js'
export { DyteMockClient, DyteMockError, type DyteMockClientOptions } from './client/index.js'
