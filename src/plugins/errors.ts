// The one place that writes error bodies: every failure becomes Dyte's envelope
// {success:false, error:{code, message}} naming what went wrong, never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { maxHeaderSize, STATUS_CODES, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { ApiError, errorBody } from '../errors.js'
import { HINT_HEADER, type Hints } from './hints.js'

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

/** Fastify's own refusals, said as a client can act on them. */
const messages: Record<string, (e: FastifyError) => string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => `${e.message}; send application/json`,
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'body is larger than the 1 MiB limit',
  FST_ERR_BAD_URL: () => 'the URL path is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: () => 'a path parameter is longer than 1000 characters',
  // @fastify/basic-auth: no credentials, or not Basic ones.
  FST_BASIC_AUTH_MISSING_OR_BAD_AUTHORIZATION_HEADER: () => 'Unauthorized',
}

/**
 * The store's failures to write (better-sqlite3 carries SQLite's result code), said as what they
 * mean. SQLite reports a write that ran out of space (ENOSPC) as SQLITE_FULL; a quota or file
 * size limit, or a flush the disk could not take, as these I/O errors. A failed write rolls its
 * transaction back; reads keep working, and writes work again once there is space.
 */
const diskFull = 'dyte-mock could not write its database: the disk is full. Reads still work; writes work again once there is space'
const storeErrors: Record<string, [status: number, message: string]> = {
  SQLITE_FULL: [507, diskFull],
  SQLITE_IOERR_WRITE: [507, `${diskFull} (or the disk is failing: an I/O error on write)`],
  SQLITE_IOERR_FSYNC: [507, `${diskFull} (or the disk is failing: an I/O error on flush)`],
  // Another write of the same turn failed and SQLite undid the turn's transaction (store/commits.ts).
  SQLITE_ABORT_ROLLBACK: [507, `${diskFull} (or the disk is failing: a write made at the same time failed, and this one was undone with it)`],
}

/**
 * How much of a body over the limit is read (and thrown away) before the 413 is sent and the
 * connection closed. A client such as Node's fetch writes its whole body before it reads the
 * answer; closing while it writes makes it report EPIPE instead of the 413. Past this bound the
 * connection is closed at once.
 */
export const DISCARD_LIMIT = 16 * 1024 * 1024

/** Resolves once the request's body has arrived (or the client went away), or at once when it is longer than DISCARD_LIMIT. */
function discardBody (raw: IncomingMessage): Promise<void> {
  if (raw.complete || raw.destroyed || Number(raw.headers['content-length']) > DISCARD_LIMIT) return Promise.resolve()
  return new Promise((resolve) => {
    let seen = 0
    const finish = () => {
      raw.off('data', count)
      raw.off('end', finish)
      raw.off('close', finish)
      resolve()
    }
    const count = (chunk: Buffer) => {
      seen += chunk.length
      if (seen > DISCARD_LIMIT) finish()
    }
    raw.on('data', count)
    raw.on('end', finish)
    raw.on('close', finish)
    raw.resume()
  })
}

function sendError (err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply, hints?: Hints) {
  if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE' && !req.raw.complete) {
    // Not returned: Fastify would send again (an empty body) once the promise resolved while an
    // async hook still held the answer.
    void discardBody(req.raw).then(() => { writeError(err, req, reply, hints) })
    return
  }
  writeError(err, req, reply, hints)
}

function writeError (err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply, hints?: Hints) {
  let status = err.statusCode ?? 500
  let message = err.message
  if (err instanceof ApiError) {
    reply.headers(err.headers)
  } else if (err.code && messages[err.code]) {
    message = messages[err.code](err)
  } else if (err.code && storeErrors[err.code]) {
    req.log.error({ err }, 'the database could not be written')
    ;[status, message] = storeErrors[err.code]
  } else if (status >= 500) {
    req.log.error({ err }, 'unhandled error')
    message = 'Internal error in dyte-mock (see its log)'
  }
  // The Cloudflare SDK retries a 409 unless told not to; the real API tells it.
  if (status === 409) reply.header('x-should-retry', 'false')
  const hint = hints?.explain(req, status, err)
  if (hint) reply.header(HINT_HEADER, hint)
  reply.code(status).send(errorBody(status, message))
}

/**
 * Refusals of Node's HTTP parser, before Fastify sees a request: headers over Node's limit (431),
 * a malformed request line or header (400), a request that took too long to arrive (408). Written
 * on the socket in the envelope, which is then closed, as Node and Fastify do by default.
 */
function clientError (this: FastifyInstance, err: NodeJS.ErrnoException & { reason?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, `request headers (with the request line) are larger than the ${maxHeaderSize / 1024} KiB limit`]
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request did not arrive in time']
      : [400, `the request is not valid HTTP/1.1: ${err.reason ?? err.message} (${err.code ?? 'parse error'})`]
  this.log.trace({ err }, 'client error')
  const body = JSON.stringify(errorBody(status, message))
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

/** Constructor options: parser- and router-level refusals and validation messages in the same envelope. */
export const errorOptions = {
  clientErrorHandler: clientError,
  frameworkErrors: sendError,
  schemaErrorFormatter: (errors, dataVar) => new Error(formatValidationErrors(errors as AjvError[], dataVar)),
} satisfies FastifyServerOptions

/** `hints`: what to say in x-dyte-mock-hint (the body stays as it is). */
export function useErrorEnvelope (app: FastifyInstance, hints?: Hints) {
  app.setErrorHandler((err: FastifyError, req, reply) => sendError(err, req, reply, hints))
  app.setNotFoundHandler((req, reply) => {
    const hint = hints?.unserved(req)
    if (hint) reply.header(HINT_HEADER, hint)
    reply.code(404).send(errorBody(404, `Route ${req.method} ${req.url.split('?')[0]} not found`))
  })
}
