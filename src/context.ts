// What every handler reaches through `req.server.dyte`: the store, the clocks, the simulator.
// Built in dependency order, each piece from the few pieces it uses, so nothing is used before
// it exists.
import { openDb, startCheckpoints } from './store/db.js'
import { createStore } from './store/index.js'
import { startPurge } from './store/namespaces.js'
import { createKeys } from './keys.js'
import { createTokens } from './tokens.js'
import { createOrgClocks, iso } from './simulate/clock.js'
import { createIds } from './simulate/ids.js'
import { createSettings, type Settings } from './simulate/settings.js'
import { createScheduler } from './simulate/scheduler.js'
import { createFiles } from './simulate/files.js'
import { createDeliverer } from './simulate/deliver.js'
import type { Send } from './simulate/send.js'
import { createEmitter } from './simulate/events.js'
import { createFaults } from './simulate/faults.js'
import { createRecordingSimulator } from './simulate/recordings.js'
import { createLivestreamSimulator } from './simulate/livestreams.js'
import { createSessionSimulator } from './simulate/sessions.js'
import { createOrgs } from './simulate/orgs.js'
import { createTime } from './simulate/time.js'
import { createDeliveries } from './simulate/deliveries.js'
import { createJournal } from './simulate/journal.js'
import { createSnapshots } from './simulate/snapshots.js'
import { createCoverage, type Catalog } from './simulate/coverage.js'

export interface ContextOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string
  seed?: string
  /** Wall clock the org clocks follow (tests may pass a fake). */
  wall?: () => number
  /** This server's origin for URLs inside events; default: set once it listens. */
  publicUrl?: string
  signingKeys?: { jwt?: string, webhook?: string }
  /** The operations of the Dyte and RealtimeKit APIs (which a fault may name). */
  operationIds: Iterable<string>
  userAgent: string
  onError: (err: unknown) => void
  /** Sends webhook deliveries in place of fetch. */
  send?: Send
  /** The settings every org starts with, where they differ from the built-in defaults. */
  settings?: Partial<Settings>
  /** Requests kept in each org's journal (0: none). */
  journalSize: number
  /** What the served specs document, for the coverage report. */
  catalog: Catalog
}

export function createContext (o: ContextOptions) {
  const db = openDb(o.dbPath)
  const stopCheckpoints = startCheckpoints(db, o.onError)
  // With --seed, ids repeat after a reset, so a reset deletes at once (see StoreOptions).
  const store = createStore(db, { hideResets: o.seed === undefined })
  const purge = startPurge(store.namespaces, o.onError)
  const keys = createKeys(store, o.signingKeys)
  const tokens = createTokens(keys)
  const clock = createOrgClocks(store, o.wall)
  /** ISO time on the org's clock. */
  const now = (orgId: string) => iso(clock.now(orgId))
  store.presets.stampWith(now)
  const { newId, secretBytes, urlSecret } = createIds(store, o.seed)
  const settings = createSettings(store, o.settings)
  const scheduler = createScheduler(store, clock, o.onError)
  const files = createFiles({ store, clock, secret: urlSecret }, o.publicUrl)
  const deliverer = createDeliverer({ store, clock, now, settings, keys, scheduler }, { userAgent: o.userAgent, onError: o.onError, send: o.send })
  const emit = createEmitter({ store, newId, deliverer })
  const faults = createFaults(store, newId, now, o.operationIds)
  const coverage = createCoverage(store, o.catalog, { onError: o.onError })
  deliverer.onAttempt((d, ok) => { if (d && ok) coverage.delivered(d.org_id, d.event_type) })
  const simulated = { store, clock, scheduler, settings, emit, newId, reached: coverage.reached }
  const recordings = createRecordingSimulator({ ...simulated, files })
  const livestreams = createLivestreamSimulator({ ...simulated, secretBytes })
  const sessions = createSessionSimulator({ ...simulated, files, tokens, recordings, livestreams })
  // A failed group commit undid writes that the caches below may hold: they are read again.
  store.commits.onRollback(() => {
    clock.forget()
    settings.forget()
    faults.forget()
    scheduler.rearm()
  })
  const journal = createJournal(o.journalSize)
  const orgs = createOrgs({ store, clock, newId, deliverer, settings, faults, scheduler })
  const time = createTime({ store, clock, scheduler })
  const deliveries = createDeliveries({ store, clock, newId, deliverer })
  const snapshots = createSnapshots({ store, now, orgs })
  // A reset wipes what the org did (its coverage and journal); a restore keeps both.
  orgs.onForget((orgId, why) => {
    if (why !== 'reset') return
    purge.kick()
    coverage.forget(orgId)
    journal.forget(orgId)
  })
  return {
    store,
    keys,
    tokens,
    clock,
    now,
    newId,
    settings,
    scheduler,
    files,
    deliverer,
    emit,
    faults,
    journal,
    coverage,
    sim: { sessions, recordings, livestreams, orgs, time, deliveries, snapshots },
    /** Deletes in the background the rows resets hid. */
    purge,
    /** Closes the database; keys still being generated are not written to it. */
    close () {
      keys.close()
      scheduler.close()
      purge.stop()
      coverage.flush()
      stopCheckpoints()
      db.close()
    },
  }
}

export type Context = ReturnType<typeof createContext>

declare module 'fastify' {
  interface FastifyInstance { dyte: Context }
}
