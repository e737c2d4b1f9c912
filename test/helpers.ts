// build(t, { frozenAt, deliver }): a server on a throwaway database with every response checked
// against the spec, its test org's clock frozen if asked, and an outbox a test can drain (settled).
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { createServer, type ServerOptions } from '../src/server.js'
import type { Violation } from '../src/plugins/response-check.js'
import type { Send } from '../src/simulate/send.js'
import type { Received } from './receiver.js'
import { generateKeyPairSync } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'

// One key pair per test process: generating RSA keys for every throwaway server is slow.
const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
let keys: { jwt: string, webhook: string } | undefined
export const testKeys = () => (keys ??= { jwt: pem(), webhook: pem() })

export const ORG = 'org-a'
export const auth = (org = ORG, key = 'key') => ({ authorization: 'Basic ' + Buffer.from(`${org}:${key}`).toString('base64') })

export interface TestServer {
  app: FastifyInstance
  /** inject with Basic auth for `org` (default ORG) and a JSON body. Returns status, json and headers. */
  call: (method: InjectOptions['method'], url: string, body?: unknown, org?: string) => Promise<{ status: number, json: any, headers: Record<string, unknown> }>
  violations: Violation[]
  /**
   * Resolves once every delivery that is due has been attempted and its result recorded, and none
   * is under way: whatever was going to be sent by now has arrived (or been captured).
   */
  settled: () => Promise<void>
  /** With `deliver: 'capture'`: every delivery, signed as it would have been POSTed, in order. */
  captured: Captured[]
}

export interface Captured extends Received { url: string }

export interface BuildOptions extends Omit<ServerOptions, 'deliver'> {
  /** Freezes the test org's clock (ORG) at this instant before the test begins. */
  frozenAt?: string
  /** 'http' (the default) POSTs deliveries for real; 'capture' records them in `captured` and answers 200. */
  deliver?: 'http' | 'capture'
}

export async function build (t: Test, { frozenAt, deliver = 'http', ...options }: BuildOptions = {}): Promise<TestServer> {
  const violations: Violation[] = []
  const captured: Captured[] = []
  const capture: Send = async (url, init) => {
    captured.push({ url, headers: init.headers, body: init.body, json: JSON.parse(init.body), at: Date.now() })
    return new Response('ok', { status: 200 })
  }
  const app = await createServer({
    dbPath: ':memory:', logLevel: 'silent', signingKeys: testKeys(), onSpecViolation: (v) => violations.push(v),
    deliver: deliver === 'capture' ? capture : undefined, ...options,
  })
  t.teardown(async () => {
    await app.close()
  })
  // Every response the suite receives must match the spec for its operation and status:
  // checked after each call(), and once more at the end for requests made over a socket.
  t.teardown(() => {
    if (violations.length) throw new Error(`responses did not match the spec: ${JSON.stringify(violations, null, 1)}`)
  })
  const call: TestServer['call'] = async (method, url, body, org = ORG) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...auth(org), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    })
    let json: any
    try { json = res.json() } catch { json = undefined }
    if (violations.length) t.fail('response did not match the spec', { violations: violations.splice(0) })
    return { status: res.statusCode, json, headers: res.headers }
  }
  if (frozenAt !== undefined) {
    const res = await call('POST', '/_mock/clock', { frozen: true, now: frozenAt })
    t.equal(res.status, 200, 'the org clock is frozen')
    t.same(res.json.data, { now: new Date(frozenAt).toISOString(), frozen: true })
  }
  return { app, call, violations, settled: () => app.dyte.deliverer.settled(), captured }
}

/** Advances the org's clock by `seconds`; the answer lists the events of the transitions that fell due. */
export const advance = (s: TestServer, seconds: number, org?: string) => s.call('POST', '/_mock/clock/advance', { seconds }, org)

/** Adds a participant to the meeting (a host, unless `fields` name another preset) and returns it. */
export async function addParticipant (s: TestServer, meetingId: string, fields: Record<string, unknown> = {}, org?: string) {
  const res = await s.call('POST', `/v2/meetings/${meetingId}/participants`, { preset_name: 'group_call_host', ...fields }, org)
  if (res.status !== 201) throw new Error(`addParticipant failed: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data as { id: string, token: string, [k: string]: any }
}

/** The participant joins the meeting, as its front-end SDK would (through the control plane). */
export const join = (s: TestServer, meetingId: string, participantId: string, org?: string) =>
  s.call('POST', `/_mock/meetings/${meetingId}/participants/${participantId}/join`, undefined, org)

/** Creates a meeting and returns it. */
export async function meeting (s: TestServer, body: Record<string, unknown> = { title: 'Standup' }, org?: string) {
  const res = await s.call('POST', '/v2/meetings', body, org)
  if (res.status !== 201) throw new Error(`createMeeting failed: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data as { id: string, [k: string]: any }
}

/** A database file in a new temporary folder, removed when the test ends. */
export function tmpDb (t: Test) {
  const dir = mkdtempSync(joinPath(tmpdir(), 'dyte-mock-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return joinPath(dir, 'db.sqlite')
}

/** Starts the compiled server as a process (as `npm start` does) and resolves once it listens. */
export function spawnServer (dbPath: string, args: string[] = []): Promise<{ child: ChildProcess, base: string }> {
  const child = spawn(process.execPath, ['dist/src/main.js', '--port', '0', '--db', dbPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c) => {
      out += c
      const m = /dyte-mock listening on (http:\/\/[^ ]+)/.exec(out)
      if (m) resolve({ child, base: m[1] })
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)))
  })
}
