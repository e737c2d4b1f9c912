// What every handler reaches through `req.server.dyte`: the store, the clock, ids and tokens.
import { randomUUID } from 'node:crypto'
import type { Store } from './store/index.js'
import type { Clock } from './simulate/clock.js'
import { iso } from './simulate/clock.js'
import type { Keys } from './keys.js'
import type { Tokens } from './tokens.js'
import { createRecordingSimulator, type RecordingSimulator } from './simulate/recordings.js'
import { createLivestreamSimulator, type LivestreamSimulator } from './simulate/livestreams.js'

export interface Context {
  store: Store
  clock: Clock
  keys: Keys
  tokens: Tokens
  newId: () => string
  /** ISO time on the org's clock. */
  now: (orgId: string) => string
  sim: { recordings: RecordingSimulator, livestreams: LivestreamSimulator }
}

export function createContext (parts: Omit<Context, 'now' | 'newId' | 'sim'> & { newId?: () => string }): Context {
  const ctx = { ...parts, newId: parts.newId ?? randomUUID, now: (orgId: string) => iso(parts.clock.now(orgId)) } as Context
  ctx.sim = { recordings: createRecordingSimulator(ctx), livestreams: createLivestreamSimulator(ctx) }
  return ctx
}

declare module 'fastify' {
  interface FastifyInstance { dyte: Context }
}
