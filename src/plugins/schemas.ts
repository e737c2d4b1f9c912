// Validation and serialization from the spec's schemas, and the one body format the API takes.
// useSpecSchemas sets the body format; specCompilers go to Fastify's constructor (server.ts).
import type { FastifyInstance, FastifySchemaCompiler, FastifySerializerCompiler, FastifyServerOptions } from 'fastify'
import type { Ajv, ValidateFunction } from 'ajv'
import { nullPruner, serializable, toJsonSchema, type JsonSchema } from '../spec.js'
import { badRequest } from '../errors.js'
import { fastJson, newAjv } from '../lazy.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body's text as it arrived (the built-in webhook inbox shows the exact bytes). */
    rawBody?: string
  }
}

/**
 * Fastify's compilers for the spec's schemas, given to its constructor
 * (schemaController.compilersFactory), so its own default compilers are never loaded.
 */
export const specCompilers = {
  buildValidator: () => validatorCompiler(),
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

function validatorCompiler (): FastifySchemaCompiler<any> {
  // Bodies are validated as sent (no type coercion); query strings and paths are strings on the
  // wire, so they are coerced to the declared types. Both fill in the spec's defaults.
  let bodyAjv: Ajv | undefined
  let paramAjv: Ajv | undefined
  const ajvFor = (httpPart: string | undefined) => httpPart === 'body'
    ? (bodyAjv ??= newAjv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: false }))
    : (paramAjv ??= newAjv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: 'array' }))
  // Compiled on first use: a server with ~200 routes starts in a fraction of the time, and an
  // operation a test suite never calls costs nothing.
  return ({ schema, httpPart }) => {
    let fn: ValidateFunction | undefined
    const validate = (data: unknown) => {
      fn ??= ajvFor(httpPart).compile(schema)
      const valid = fn(data)
      validate.errors = fn.errors
      return valid
    }
    validate.errors = null as ValidateFunction['errors']
    return validate
  }
}

const serializerCompiler: FastifySerializerCompiler<any> = ({ schema }) => compileSerializer(schema as JsonSchema)

export function useSpecSchemas (app: FastifyInstance) {
  // JSON only (anything else is a 415); an empty body with a JSON content type counts as no body.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined)
    let value: unknown
    try {
      req.rawBody = body as string
      value = JSON.parse(body as string)
    } catch {
      return done(badRequest('body is not valid JSON'), undefined)
    }
    const problem = jsonProblem(value, /\\u[dD][89a-fA-F]/.test(body as string))
    done(problem ? badRequest(problem) : null, problem ? undefined : value)
  })
}

/**
 * A response schema's serializer. The schema is the spec's (OpenAPI 3.0), converted and compiled
 * the first time an answer is serialized with it. Absent values are left out where the spec does
 * not allow null (rather than written as "").
 */
export function compileSerializer (schema: JsonSchema) {
  let fn: ((data: unknown) => string) | undefined
  let prune: ((data: unknown) => unknown) | undefined
  return (data: unknown) => {
    if (fn === undefined) {
      const converted = serializable(toJsonSchema(schema)!)
      prune = nullPruner(converted)
      fn = fastJson(converted)
    }
    return fn(prune === undefined ? data : prune(data))
  }
}

/**
 * How deep a JSON body may nest objects and arrays. Free-form fields (ai_config, a storage
 * config's extras, a preset's config_diff, …) are stored and sent back with JSON.stringify, whose
 * recursion overflows the stack a few thousand levels down; no real configuration comes near this.
 */
export const MAX_JSON_DEPTH = 100

// A UTF-16 surrogate that is not half of a pair (with the u flag, a pair reads as one code point).
const loneSurrogate = /\p{Cs}/u

/**
 * What is wrong with a parsed JSON body, naming where (`body/ai_config/…`), or undefined: nesting
 * deeper than MAX_JSON_DEPTH, or (when the raw text escapes a surrogate, `mayHaveSurrogates`) a
 * string or property name with a lone surrogate, which UTF-8 (and so SQLite's text) cannot keep:
 * it would be read back as U+FFFD. Recursion stops at the depth limit, so it cannot overflow.
 */
function jsonProblem (value: unknown, mayHaveSurrogates: boolean): string | undefined {
  const path: string[] = []
  const at = () => ['body', ...path.slice(0, 6)].join('/') + (path.length > 6 ? '/…' : '')
  const lone = (s: string) => {
    const c = loneSurrogate.exec(s)
    return c && `\\u${c[0].charCodeAt(0).toString(16)}`
  }
  const visit = (v: unknown, depth: number): string | undefined => {
    if (typeof v === 'string') {
      const c = mayHaveSurrogates && lone(v)
      return c ? `${at()} contains a lone surrogate (${c} without its pair), which is not valid Unicode` : undefined
    }
    if (v === null || typeof v !== 'object') return undefined
    if (depth > MAX_JSON_DEPTH) return `${at()} nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (the limit)`
    for (const [key, child] of Object.entries(v)) {
      const c = mayHaveSurrogates && lone(key)
      if (c) return `${at()} has a property name with a lone surrogate (${c} without its pair), which is not valid Unicode`
      path.push(key)
      const problem = visit(child, depth + 1)
      if (problem) return problem
      path.pop()
    }
    return undefined
  }
  return visit(value, 1)
}
