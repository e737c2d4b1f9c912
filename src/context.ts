// What every handler reaches through `req.server.dyte`: the store, the clocks, the simulator.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Store } from './store/index.js'
import { createOrgClocks, iso, type OrgClocks } from './simulate/clock.js'
import { createScheduler, type Scheduler } from './simulate/scheduler.js'
import { createSettings, type SettingsStore } from './simulate/settings.js'
import { createEmitter, type Emit } from './simulate/events.js'
import type { Keys } from './keys.js'
import { createTokens, nameUuid, type Tokens } from './tokens.js'
import { createRecordingSimulator, type RecordingSimulator } from './simulate/recordings.js'
import { createLivestreamSimulator, type LivestreamSimulator } from './simulate/livestreams.js'
import { createSessionSimulator, type SessionSimulator } from './simulate/sessions.js'
import { createDeliverer, type Deliverer, type Send } from './simulate/deliver.js'
import { createFaults, type Faults } from './simulate/faults.js'

export interface Context {
  store: Store
  clock: OrgClocks
  scheduler: Scheduler
  settings: SettingsStore
  keys: Keys
  tokens: Tokens
  emit: Emit
  deliverer: Deliverer
  faults: Faults
  /** A new id: random, or derived from --seed and a per-org counter so runs repeat exactly. */
  newId: (orgId?: string) => string
  /** ISO time on the org's clock. */
  now: (orgId: string) => string
  /**
   * `n` (at most 32) unguessable bytes for secrets shown in responses (stream keys): random, or
   * with --seed derived from the next seeded id, so runs repeat exactly.
   */
  secretBytes: (orgId: string, n: number) => Buffer
  /** Secret behind the signed file URLs (kept in the database; with --seed, derived from it on a new one). */
  urlSecret: string
  /** This server's origin for URLs inside events (set from --public-url or the listen address). */
  baseUrl: string
  absoluteUrl: (path: string | null) => string | null
  sim: { sessions: SessionSimulator, recordings: RecordingSimulator, livestreams: LivestreamSimulator }
}

const SEED_NAMESPACE = '1b671a64-40d5-491e-99b0-da01ff1f3341'

export interface ContextOptions {
  store: Store
  keys: Keys
  seed?: string
  wall?: () => number
  baseUrl?: string
  userAgent: string
  onError: (err: unknown) => void
  send?: Send
}

export function createContext (o: ContextOptions): Context {
  const { store } = o
  const clock = createOrgClocks(store, o.wall)
  const newId = o.seed === undefined
    ? () => randomUUID()
    : (orgId = '') => nameUuid(`${o.seed}/${orgId}/${store.orgs.nextIdSeq(orgId)}`, SEED_NAMESPACE)
  const ctx = {
    store,
    clock,
    scheduler: createScheduler(store, clock, o.onError),
    settings: createSettings(store),
    keys: o.keys,
    tokens: createTokens(o.keys),
    newId,
    now: (orgId: string) => iso(clock.now(orgId)),
    secretBytes: (orgId: string, n: number) => (o.seed === undefined
      ? randomBytes(n)
      : createHash('sha256').update(`secret/${newId(orgId)}`).digest().subarray(0, n)),
    urlSecret: store.meta.putIfAbsent('url_signing_secret', o.seed === undefined
      ? randomBytes(32).toString('base64url')
      : createHmac('sha256', o.seed).update('url_signing_secret').digest('base64url')),
    baseUrl: o.baseUrl ?? 'http://127.0.0.1:4010',
    absoluteUrl: (path: string | null) => (path === null ? null : path.startsWith('/') ? ctx.baseUrl + path : path),
  } as Context
  store.presets.stampWith(ctx.now)
  ctx.deliverer = createDeliverer(ctx, { userAgent: o.userAgent, onError: o.onError, send: o.send })
  ctx.emit = createEmitter(ctx)
  ctx.faults = createFaults(store, newId, ctx.now)
  ctx.sim = { sessions: createSessionSimulator(ctx), recordings: createRecordingSimulator(ctx), livestreams: createLivestreamSimulator(ctx) }
  return ctx
}

declare module 'fastify' {
  interface FastifyInstance { dyte: Context }
}
