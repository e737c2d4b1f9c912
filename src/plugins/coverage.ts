// API coverage of the user's suite: every answer of the Dyte and RealtimeKit APIs is counted by
// org, operation and status (the control plane is not part of the API under test). With
// --coverage-out the report for all orgs is written when the server stops: JSON, or Markdown when
// the file name ends in .md.
import { writeFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { coverageMarkdown } from '../simulate/coverage.js'
import { routeConfig } from './route-config.js'

export function useCoverage (app: FastifyInstance, o: { out?: string }) {
  const ctx = app.dyte
  const served = new Set(ctx.coverage.catalog.operations.map((op) => op.operation_id))
  app.addHook('onResponse', (req, reply, done) => {
    const id = routeConfig(req).operationId
    if (id !== undefined && req.orgId && served.has(id)) ctx.coverage.answered(req.orgId, id, reply.statusCode)
    done()
  })
  const out = o.out
  if (out) {
    app.addHook('preClose', async () => {
      const report = ctx.coverage.report()
      writeFileSync(out, out.endsWith('.md') ? coverageMarkdown(report) : JSON.stringify(report, null, 2) + '\n')
    })
  }
}
