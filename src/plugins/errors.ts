// The one place that writes error bodies: every failure becomes Dyte's envelope
// {success:false, error:{code, message}} naming what went wrong, never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify'
import { ApiError, errorBody } from '../errors.js'

interface AjvError { instancePath: string, keyword: string, message?: string, params: Record<string, any> }

/** `body/audio_config/codec must be equal to one of the allowed values: AAC, MP3` */
export function formatValidationErrors (errors: AjvError[], part: string): string {
  return errors.map((e) => {
    const where = part + e.instancePath
    if (part === 'body' && e.instancePath === '' && e.keyword === 'type') return 'body is required and must be a JSON object'
    switch (e.keyword) {
      case 'enum': return `${where} must be one of: ${e.params.allowedValues.map(String).join(', ')}`
      case 'additionalProperties': return `${where} must not have additional property '${e.params.additionalProperty}'`
      default: return `${where} ${e.message}`
    }
  }).join('; ')
}

const messages: Record<string, (e: FastifyError) => string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'body must not be empty when content-type is application/json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => `${e.message}; send application/json`,
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'body is larger than the 1 MiB limit',
}

export function registerErrorHandler (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    let status = err.statusCode ?? 500
    let message = err.message
    if (err instanceof ApiError) {
      reply.headers(err.headers)
    } else if ((err as FastifyError).validation) {
      status = 400
    } else if (status === 401) {
      message = 'Unauthorized'
    } else if (err.code && messages[err.code]) {
      message = messages[err.code](err as FastifyError)
    } else if (err instanceof SyntaxError && status === 400) {
      message = 'body is not valid JSON'
    }
    if (status >= 500 && !(err instanceof ApiError)) {
      req.log.error({ err }, 'unhandled error')
      message = 'Internal error in dyte-mock (see its log)'
    }
    if (status === 409) reply.header('x-should-retry', 'false')
    reply.code(status).send(errorBody(status, message))
  })

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody(404, `Route ${req.method} ${req.url.split('?')[0]} not found`))
  })
}
