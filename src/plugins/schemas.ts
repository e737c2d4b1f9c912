// Validation and serialization from the spec's schemas, and the one body format the API takes.
import type { FastifyInstance } from 'fastify'
import { Ajv, type ValidateFunction } from 'ajv'
import fastJson from 'fast-json-stringify'
import addFormatsModule from 'ajv-formats'
import { nullPruner, type JsonSchema } from '../spec.js'
import { badRequest } from '../errors.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body's text as it arrived (the built-in webhook inbox shows the exact bytes). */
    rawBody?: string
  }
}

export function useSpecSchemas (app: FastifyInstance) {
  // Bodies are validated as sent (no type coercion); query strings and paths are strings on the
  // wire, so they are coerced to the declared types. Both fill in the spec's defaults.
  const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: false }))
  const paramAjv = addFormats(new Ajv({ strict: false, allErrors: true, useDefaults: true, coerceTypes: 'array' }))
  // Compiled on first use: a server with ~200 routes starts in a fraction of the time, and an
  // operation a test suite never calls costs nothing.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    let fn: ValidateFunction | undefined
    const validate = (data: unknown) => {
      fn ??= (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema)
      const valid = fn(data)
      validate.errors = fn.errors
      return valid
    }
    validate.errors = null as ValidateFunction['errors']
    return validate
  })
  // Absent values are left out where the spec does not allow null (rather than written as "").
  app.setSerializerCompiler(({ schema }) => {
    let fn: ((data: unknown) => string) | undefined
    let prune: ((data: unknown) => unknown) | undefined | null
    return (data: unknown) => {
      if (prune === undefined) prune = nullPruner(schema as JsonSchema) ?? null
      return (fn ??= fastJson(schema as object))(prune === null ? data : prune(data))
    }
  })

  // JSON only (anything else is a 415); an empty body with a JSON content type counts as no body.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined)
    try {
      req.rawBody = body as string
      done(null, JSON.parse(body as string))
    } catch {
      done(badRequest('body is not valid JSON'), undefined)
    }
  })
}
