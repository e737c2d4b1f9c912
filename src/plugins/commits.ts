// Answers wait for the group commit (store/commits.ts): a 2xx is sent only once what the request
// wrote, and what it read, is committed, so it survives kill -9. When that transaction fails,
// the request is answered with its error instead (a 507 for a full disk), and nothing it wrote is
// kept.
//
// A handler writes in the turn it produces its answer (after any await): its writes are in the
// transaction open when its answer is ready, which preSerialization notes. An answer sent in a
// later turn (a serializer compiled on first use) checks every transaction since.
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** The first group commit the answer depends on (Infinity: only the one open when it is sent). */
    commitsFrom: number
  }
}

export function useCommitWait (app: FastifyInstance) {
  const commits = app.dyte.store.commits
  app.decorateRequest('commitsFrom', Infinity)
  app.addHook('preSerialization', (req, reply, payload, done) => {
    req.commitsFrom = commits.next()
    done(null, payload)
  })
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!commits.open) return answer(req.commitsFrom)
    const from = Math.min(req.commitsFrom, commits.next())
    commits.committed().then(() => answer(from), () => answer(from))
    function answer (from: number) {
      const err = commits.failedSince(from)
      req.commitsFrom = Infinity // the error's own answer passes
      // An answer that is an error already promised nothing: it stands.
      if (err === undefined || reply.statusCode >= 400) done(null, payload)
      else done(err as Error)
    }
  })
}
