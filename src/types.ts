// Types generated from spec/dyte-v2.yaml (npm run gen:types); never written by hand.
import type { components } from './generated/dyte-v2.js'

export type Schemas = components['schemas']
