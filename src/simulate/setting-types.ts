// Types of per-org settings that the server's options take too, from the mock spec. A module of
// its own, so the package's public types (ServerOptions) name them without reaching the store.
import type { components } from '../generated/mock.js'

type Settings = components['schemas']['Settings']

/** Requests allowed in each window of the org clock. */
export type RateLimit = NonNullable<Settings['rate_limit']>

/** Whose response shapes /v2 answers in: the served document's (seed) or the live Dyte API's (live). */
export type Shapes = NonNullable<Settings['shapes']>
