// Answers kept while the data version holds. A GET whose answer depends on nothing but the rows
// (a meeting, a page of meetings) is answered again with the same serialized body while the data
// version of store/commits.ts has not moved: the handler, the objects it builds and the serializer
// are skipped. Authentication, the rate limit, faults and validation still run before, and the
// commit wait, the response check, the journal and coverage after, as for any answer. An operation
// with live shapes is never kept (routes/index.ts): its answer also depends on the org's setting.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onSendHookHandler, preHandlerHookHandler } from 'fastify'
import { dataVersion } from '../store/commits.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The kept answer's key and the data version its handler read at (null: not kept). */
    keptAnswer: { key: string, at: number } | null
  }
}

/** Answers kept at most, and their text in UTF-16 units at most (about 16 MiB); all go when either is reached. */
const MAX_ANSWERS = 1024
const MAX_UNITS = 8 * 1024 * 1024
/** A larger answer (a page of hundreds of rows) is not kept. */
const MAX_ANSWER_UNITS = 256 * 1024
const JSON_TYPE = 'application/json; charset=utf-8'

export interface KeptAnswers {
  preHandler: preHandlerHookHandler
  onSend: onSendHookHandler
}

/** The hooks of the routes whose answers are kept: one store for all of them. */
export function keptAnswers (): KeptAnswers {
  const kept = new Map<string, { at: number, body: string }>()
  let units = 0
  return {
    preHandler (this: unknown, req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
      const at = dataVersion(req.server.dyte.store.db)
      if (at === undefined) return done()
      const key = req.orgId + '\u0000' + req.url
      const hit = kept.get(key)
      if (hit !== undefined && hit.at === at) {
        reply.type(JSON_TYPE).send(hit.body)
        return
      }
      req.keptAnswer = { key, at }
      done()
    },
    onSend (this: unknown, req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) {
      const k = req.keptAnswer
      // Kept only when nothing was written while the handler ran: the body is what that version holds.
      if (k !== null && reply.statusCode === 200 && typeof payload === 'string' && payload.length <= MAX_ANSWER_UNITS &&
        dataVersion(req.server.dyte.store.db) === k.at) {
        if (kept.size >= MAX_ANSWERS || units + payload.length > MAX_UNITS) {
          kept.clear()
          units = 0
        }
        units += payload.length - (kept.get(k.key)?.body.length ?? 0)
        kept.set(k.key, { at: k.at, body: payload })
      }
      done(null, payload)
    },
  } as KeptAnswers
}
