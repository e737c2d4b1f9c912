// startDyteMock(options): a server for a test suite, in-process on a free port of 127.0.0.1, on a
// throwaway database, with a typed client for a fresh org of its own.
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { createServer, type ServerOptions } from './server.js'
import { DyteMockClient } from './client/index.js'
import { parseOrgs } from './plugins/auth.js'

export interface StartOptions extends ServerOptions {
  /** The org the returned client drives (default: a fresh random one, so parallel tests never meet; with `orgs`, the first configured). */
  orgId?: string
  /** Its API key (default: the one `orgs` configures for the org, else 'key'). */
  apiKey?: string
}

export interface DyteMock {
  /** The server's origin, e.g. http://127.0.0.1:41234: the Dyte API is at `${url}/v2`. */
  url: string
  /** A client for the org `client.orgId`. */
  client: DyteMockClient
  /** A client for another org of this server (default: a fresh random org id). */
  clientFor: (orgId?: string, apiKey?: string) => DyteMockClient
  /** The server itself (app.inject, app.dyte). */
  app: FastifyInstance
  close: () => Promise<void>
}

/** Options are createServer's; the database defaults to ':memory:' and logging to 'silent'. */
export async function startDyteMock ({ orgId, apiKey, ...options }: StartOptions = {}): Promise<DyteMock> {
  const app = await createServer({ dbPath: ':memory:', logLevel: 'silent', ...options })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const orgs = typeof options.orgs === 'string' ? parseOrgs(options.orgs) : options.orgs
  const clientFor = (org: string = randomUUID(), key?: string) =>
    new DyteMockClient({ baseUrl: url, orgId: org, apiKey: key ?? apiKey ?? orgs?.get(org) ?? 'key' })
  return { url, client: clientFor(orgId ?? orgs?.keys().next().value), clientFor, app, close: () => app.close() }
}
