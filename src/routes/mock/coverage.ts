// API coverage of the suite (/_mock/coverage): JSON, or Markdown for a CI job to post.
import type { MockHandlers } from '../types.js'
import { ok } from '../envelope.js'
import { coverageMarkdown } from '../../simulate/coverage.js'

export const coverage = {
  async getCoverage (req, reply) {
    const report = req.server.dyte.coverage.report(req.query.scope === 'all' ? undefined : req.orgId)
    if (req.query.format !== 'md') return ok(report)
    reply.type('text/markdown; charset=utf-8')
    return coverageMarkdown(report)
  },
} satisfies Partial<MockHandlers>
