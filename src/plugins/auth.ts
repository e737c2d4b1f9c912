// Who is calling: HTTP Basic orgId:apiKey, as Dyte v2 uses it (the org id selects an isolated
// namespace), Dyte's CLI Bearer token for /orgs, and RealtimeKit's Cloudflare credentials.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyBasicAuth from '@fastify/basic-auth'
import { bearerToken } from './credentials.js'
import { notFound, unauthorized } from '../errors.js'
import { participantTokens } from './participant-token.js'
import { routeConfig } from './route-config.js'

declare module 'fastify' {
  interface FastifyRequest {
    orgId: string
    /** RealtimeKit: the caller's token (or X-Auth-Key), and whether --orgs checked it (it then scopes the apps listed). */
    caller: { token: string, checked: boolean } | null
  }
}

export interface AuthOptions {
  /** orgId → apiKey. When set, only these pairs are accepted; otherwise any org id with a non-empty key. */
  orgs?: Map<string, string>
  onOrg: (orgId: string) => void
  /** An app id reached through RealtimeKit's paths (instead of onOrg). */
  onApp: (appId: string) => void
  /** Keys of orgs made at run time (POST /v2/orgs, POST …/realtime/kit/apps), accepted even when `orgs` is set. */
  extraKey?: (orgId: string) => string | undefined
  /** The configured key that created a RealtimeKit app (POST …/realtime/kit/apps), if it is one. */
  appKey?: (appId: string) => string | undefined
  /** Whether an org of that id was made at run time (a RealtimeKit app, an org of POST /v2/orgs). */
  madeAtRunTime?: (orgId: string) => boolean
  /** Checks a participant's token where the operation accepts one (participantBearer) and sets the request's org. */
  participant?: (req: FastifyRequest, token: string) => Promise<void>
}

/** Parses `org1:key1,org2:key2`. */
export function parseOrgs (value: string | undefined): Map<string, string> | undefined {
  if (!value) return undefined
  const orgs = new Map<string, string>()
  for (const pair of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.indexOf(':')
    if (i <= 0 || i === pair.length - 1) throw new Error(`--orgs: '${pair}' is not orgId:apiKey`)
    orgs.set(pair.slice(0, i), pair.slice(i + 1))
  }
  return orgs
}

/**
 * Basic credentials are parsed by @fastify/basic-auth and checked by `validate`; a header that
 * passed is remembered, so the next request with it costs one map lookup (most test suites send
 * one or two distinct credentials).
 */
async function basicAuth (app: FastifyInstance, opts: AuthOptions) {
  const cache = new Map<string, string>()
  await app.register(fastifyBasicAuth, {
    // Leading and trailing blanks, and several between scheme and credentials, are accepted.
    strictCredentials: false,
    // No WWW-Authenticate challenge: Dyte's 401 has none, and in Swagger UI a browser would answer it
    // with its own login prompt.
    authenticate: false,
    async validate (user, key, req) {
      if (!user || !key || (opts.orgs && opts.orgs.get(user) !== key && opts.extraKey?.(user) !== key)) throw unauthorized()
      if (cache.size > 1000) cache.clear()
      cache.set(req.headers.authorization!, user)
      req.orgId = user
    },
  })
  const check = (req: FastifyRequest, reply: FastifyReply) =>
    new Promise<void>((resolve, reject) => app.basicAuth(req, reply, (err) => (err ? reject(err) : resolve())))
  const authenticate = async (req: FastifyRequest, reply: FastifyReply) => {
    const config = routeConfig(req)
    if (config.public) return
    if (config.bearer) return cliToken(req, opts)
    const header = req.headers.authorization
    if (!header && config.optionalAuth) return // req.orgId stays ''
    const participantToken = config.participantToken ? bearerToken(header) : undefined
    if (participantToken !== undefined && opts.participant) {
      await opts.participant(req, participantToken)
      opts.onOrg(req.orgId)
      return
    }
    const orgId = header === undefined ? undefined : cache.get(header)
    if (orgId === undefined) await check(req, reply)
    else req.orgId = orgId
    opts.onOrg(req.orgId)
  }
  // The usual request, Basic credentials already seen, is answered without a promise.
  return function basic (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
    const config = routeConfig(req)
    const header = req.headers.authorization
    const orgId = config.public || config.bearer || config.participantToken || header === undefined ? undefined : cache.get(header)
    if (orgId === undefined) return void authenticate(req, reply).then(() => done(), done)
    req.orgId = orgId
    opts.onOrg(orgId) // what it throws, Fastify answers
    done()
  }
}

/** Dyte's OrgBearer (the CLI token) for /orgs: the token itself scopes what is visible. */
function cliToken (req: FastifyRequest, opts: AuthOptions) {
  const token = bearerToken(req.headers.authorization)
  if (!token || (opts.orgs && ![...opts.orgs.values()].includes(token))) throw unauthorized()
  req.orgId = token
}

/**
 * RealtimeKit's Cloudflare API credentials: `Authorization: Bearer <token>`, or `X-Auth-Key` with
 * `X-Auth-Email`. The app id in the path selects the org. With --orgs set, account-level routes take
 * any configured key, and an app takes its own key (`--orgs app:key`) or the configured key that
 * created it through POST …/apps.
 */
function bearerAuth (opts: AuthOptions) {
  const configured = opts.orgs && new Set(opts.orgs.values())
  return async (req: FastifyRequest) => {
    if (routeConfig(req).public) return
    const bearer = bearerToken(req.headers.authorization)
    const key = req.headers['x-auth-key']
    const token = bearer ?? (typeof key === 'string' && key && req.headers['x-auth-email'] ? key : undefined)
    if (!token) throw unauthorized()
    const appId = (req.params as Record<string, string | undefined>).app_id
    if (opts.orgs && configured) {
      // An app id that is neither configured nor made at run time names no app: a 404, once the
      // token is shown to be one of the configured keys.
      if (appId !== undefined && !opts.orgs.has(appId) && !opts.madeAtRunTime?.(appId)) {
        if (!configured.has(token)) throw unauthorized()
        throw notFound('app', appId)
      }
      const allowed = appId === undefined
        ? configured.has(token)
        : opts.orgs.get(appId) === token || opts.appKey?.(appId) === token
      if (!allowed) throw unauthorized()
    }
    req.caller = { token, checked: configured !== undefined }
    if (appId !== undefined) {
      opts.onApp(appId)
      req.orgId = appId
    }
  }
}

/** The hooks that authenticate a request: `basic` for /v2 and /_mock, `bearer` for RealtimeKit's layout. */
/** An onRequest hook in callback style. */
export type Authenticate = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void
export interface Auth { basic: Authenticate, bearer: Authenticate }

/**
 * `orgs`: the accepted credentials (--orgs), or any org id with a non-empty key. An org's first
 * request creates it. An app made through POST …/realtime/kit/apps also takes its creator's key
 * (while that key is configured): as its Bearer token, and as its Basic password under /v2.
 */
export async function useAuth (app: FastifyInstance, orgs: string | Map<string, string> | undefined): Promise<Auth> {
  const { store, sim } = app.dyte
  const accepted = typeof orgs === 'string' ? parseOrgs(orgs) : orgs
  const configuredKeys = accepted && new Set(accepted.values())
  const appKey = (appId: string) => { const k = store.apps.creator(appId); return k !== undefined && configuredKeys?.has(k) ? k : undefined }
  const opts: AuthOptions = {
    orgs: accepted,
    onOrg: sim.orgs.ensure,
    onApp: sim.orgs.ensureApp,
    extraKey: (orgId: string) => store.orgRecords.apiKey(orgId) ?? appKey(orgId),
    appKey,
    madeAtRunTime: (orgId: string) => store.apps.isApp(orgId) || store.orgRecords.apiKey(orgId) !== undefined,
    participant: participantTokens(app.dyte),
  }
  app.decorateRequest('orgId', '')
  app.decorateRequest('participant', null)
  app.decorateRequest('caller', null)
  const bearer = bearerAuth(opts)
  return { basic: await basicAuth(app, opts), bearer: (req, reply, done) => void bearer(req).then(() => done(), done) }
}
