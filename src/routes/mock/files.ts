// The files behind signed URLs (recordings, session exports), until the URL expires.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { MockHandlers } from '../types.js'

function serve (req: FastifyRequest, reply: FastifyReply, orgId: string, path: string, q: { expires: number, signature: string }) {
  const file = req.server.dyte.files.open(orgId, path, String(q.expires), q.signature)
  reply.type(file.type).header('content-disposition', `attachment; filename="${path.split('/').pop()}"`)
  return file.body
}

export const files = {
  async downloadRecordingFile (req, reply) {
    return serve(req, reply, req.params.orgId, `recordings/${req.params.file}`, req.query)
  },

  async downloadSessionFile (req, reply) {
    return serve(req, reply, req.params.orgId, `sessions/${req.params.sessionId}/${req.params.file}`, req.query)
  },
} satisfies Partial<MockHandlers>
