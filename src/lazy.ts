// Ajv, fast-json-stringify and undici, loaded on first use rather than at start: a server compiles a
// route's validator or serializer only when the route is first called, sends a webhook only when one
// is due, and many runs never need one.
import { createRequire } from 'node:module'
import type { Ajv, Options } from 'ajv'

const require = createRequire(import.meta.url)

/** An Ajv instance with ajv-formats' formats. */
export function newAjv (options: Options): Ajv {
  const { Ajv } = require('ajv') as typeof import('ajv')
  const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default
  return addFormats(new Ajv(options))
}

/** fast-json-stringify's serializer for a JSON Schema. */
export function fastJson (schema: object): (data: unknown) => string {
  return (require('fast-json-stringify') as (schema: object) => (data: unknown) => string)(schema)
}

/** undici's Client, and the ports fetch refuses to use (1, 9, 25, …), read from undici itself. */
export function undici () {
  const { Client } = require('undici') as typeof import('undici')
  const { badPortsSet } = require('undici/lib/web/fetch/constants.js') as { badPortsSet: Set<string> }
  return { Client, badPortsSet }
}
