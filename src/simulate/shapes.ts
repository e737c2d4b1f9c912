// The shapes setting's type, from the mock spec. A module of its own, so the package's public
// types (ServerOptions) name it without reaching the store.
import type { components } from '../generated/mock.js'

/** Whose response shapes /v2 answers in: the served document's (seed) or the live Dyte API's (live). */
export type Shapes = NonNullable<components['schemas']['Settings']['shapes']>
