// The rate_limit setting's type, from the mock spec. A module of its own, so the package's public
// types (ServerOptions) name it without reaching the store.
import type { components } from '../generated/mock.js'

/** Requests allowed in each window of the org clock. */
export type RateLimit = NonNullable<components['schemas']['Settings']['rate_limit']>
