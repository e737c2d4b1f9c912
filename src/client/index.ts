// dyte-mock/client: the control plane (/_mock, spec/mock.yaml) from a test, typed from the spec.
// `api` is openapi-fetch over the generated types, one typed call per operation; the helpers are
// the calls a test makes most, answering the envelope's `data` and throwing on a non-2xx.
import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { components, paths } from '../generated/mock.js'

export type { components, paths } from '../generated/mock.js'

type Schemas = components['schemas']
export type Clock = Schemas['Clock']
export type Event = Schemas['Event']
export type EventType = Schemas['EventType']
export type Delivery = Schemas['Delivery']
export type Settings = Schemas['Settings']
export type FaultInput = Partial<Schemas['FaultInput']>
export type Fault = Schemas['Fault']
export type EventQuery = NonNullable<paths['/events']['get']['parameters']['query']>
export type JournalEntry = Schemas['JournalEntry']
export type RequestMatch = Schemas['RequestMatch']
export type RequestQuery = NonNullable<paths['/requests']['get']['parameters']['query']>
type Found = NonNullable<paths['/requests/find']['post']['responses'][200]['content']['application/json']['data']>

export interface VerifyOptions {
  /** How many journaled requests must match (default: at least one). */
  times?: number
}

/** A verify that failed: how many matched, and the near misses as a readable diff. */
export class VerificationError extends Error {
  constructor (readonly match: RequestMatch, readonly found: Found, expected: string) {
    super(verificationMessage(match, found, expected))
    this.name = 'VerificationError'
  }
}

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v))

function verificationMessage (match: RequestMatch, found: Found, expected: string): string {
  const lines = [`expected ${expected} matching ${JSON.stringify(match)}, found ${found.count ?? 0}`]
  for (const [i, miss] of (found.near_misses ?? []).entries()) {
    const r = miss.request
    lines.push(`near miss ${i + 1}: #${r?.seq} ${r?.method} ${r?.path} → ${r?.status}`)
    for (const d of miss.differences ?? []) lines.push(`  ${d.field}: expected ${show(d.expected)}, got ${show(d.actual)}`)
  }
  return lines.join('\n')
}

export interface DyteMockClientOptions {
  /** The server's origin, e.g. http://127.0.0.1:4010 (the /_mock and /v2 prefixes are added). */
  baseUrl: string
  /** The org to drive; each org id is its own namespace. */
  orgId: string
  apiKey: string
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch
}

export interface WaitForDeliveryOptions {
  event?: EventType
  webhookId?: string
  meetingId?: string
  /** Only deliveries created at or after this instant (org clock). */
  since?: string | Date
  /** How many matching deliveries must have succeeded (default 1). */
  count?: number
  /** Give up after this long with a 408 DyteMockError (default 5000, at most 60000). */
  timeoutMs?: number
}

/** A non-2xx answer: its status and Dyte's error message, with the body as received. */
export class DyteMockError extends Error {
  constructor (readonly status: number, message: string, readonly body: unknown, readonly request: string) {
    super(`${request} answered ${status}: ${message}`)
    this.name = 'DyteMockError'
  }
}

/** Dyte's error envelope names the problem in error.message; a few answers carry a top-level message. */
function errorMessage (body: unknown, response: Response): string {
  const b = body as { error?: { message?: unknown }, message?: unknown } | undefined
  const text = b?.error?.message ?? b?.message
  return typeof text === 'string' ? text : response.statusText || 'no message'
}

// The request each answer came from, so an error can name it ("POST /_mock/join").
const requests = new WeakMap<Response, string>()
const remember: Middleware = {
  onResponse ({ request, response }) {
    requests.set(response, `${request.method} ${new URL(request.url).pathname}`)
    return undefined
  },
}

type Answer = { data?: unknown, error?: unknown, response: Response }
/** The body of a 2xx answer of `client.api` (its envelope); a non-2xx becomes a DyteMockError. */
export async function unwrap<R extends Answer> (call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call
  if (!response.ok) throw new DyteMockError(response.status, errorMessage(error, response), error, requests.get(response) ?? response.url)
  return data as NonNullable<R['data']>
}

type Payload<R extends Answer> = NonNullable<R['data']> extends { data?: infer D } ? NonNullable<D> : never
/** The envelope's `data` of a 2xx answer. */
async function payload<R extends Answer> (call: Promise<R>): Promise<Payload<R>> {
  return (await unwrap(call) as unknown as { data: Payload<R> }).data
}

/** GET /webhooks.json is served at /.well-known (its path-level server in spec/mock.yaml), not below /_mock. */
const wellKnown: Middleware = {
  onRequest ({ request }) {
    const url = new URL(request.url)
    if (url.pathname !== '/_mock/webhooks.json') return undefined
    url.pathname = '/.well-known/webhooks.json'
    return new Request(url, request)
  },
}

const iso = (at: string | Date | undefined) => (at instanceof Date ? at.toISOString() : at)

export class DyteMockClient {
  /** Every control-plane operation, typed: `await client.api.GET('/clock')` → `{ data, error, response }`. */
  readonly api: Client<paths>
  readonly baseUrl: string
  readonly orgId: string
  readonly apiKey: string
  /** The Basic credentials of the org, for calls to /v2 made by hand. */
  readonly authorization: string

  constructor (options: DyteMockClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.orgId = options.orgId
    this.apiKey = options.apiKey
    this.authorization = 'Basic ' + Buffer.from(`${options.orgId}:${options.apiKey}`).toString('base64')
    this.api = createClient<paths>({
      baseUrl: `${this.baseUrl}/_mock`,
      headers: { authorization: this.authorization },
      fetch: options.fetch,
    })
    this.api.use(wellKnown, remember)
  }

  /** The org's virtual clock. */
  readonly clock = {
    get: () => payload(this.api.GET('/clock')),
    /** Stops the clock, at `at` if given, else where it stands. */
    freeze: (at?: string | Date) => payload(this.api.POST('/clock', { body: { frozen: true, now: iso(at) } })),
    /** Lets the clock run again from where it stands. */
    unfreeze: () => payload(this.api.POST('/clock', { body: { frozen: false } })),
    /** Moves the clock forward and runs every transition that falls due; answers the events emitted on the way. */
    advance: (seconds: number) => payload(this.api.POST('/clock/advance', { body: { seconds } })),
  }

  /** The org's simulation settings (delays, URL lifetime, webhook retries). */
  readonly settings = {
    get: () => payload(this.api.GET('/settings')),
    // The generated SettingsPatch (Settings & additionalProperties: false) admits no object in TypeScript.
    update: (patch: Settings) => payload(this.api.PATCH('/settings', { body: patch as Schemas['SettingsPatch'] })),
  }

  /** Make the org's API requests fail on demand. */
  readonly faults = {
    add: (fault: FaultInput) => payload(this.api.POST('/faults', { body: { skip: 0, ...fault } })),
    list: () => payload(this.api.GET('/faults')),
    remove: async (faultId: string) => { await unwrap(this.api.DELETE('/faults/{faultId}', { params: { path: { faultId } } })) },
    clear: async () => { await unwrap(this.api.DELETE('/faults')) },
  }

  /** The org's request journal: what the app under test sent, and checks on it. */
  readonly requests = {
    /** Entries newest first, filtered by method, operation_id, path, status, since_seq. */
    list: (query: RequestQuery = {}) => payload(this.api.GET('/requests', { params: { query } })),
    clear: async () => { await unwrap(this.api.DELETE('/requests')) },
    /** The entries that match (oldest first) and, when none does, the closest ones with what differed. */
    find: (match: RequestMatch) => payload(this.api.POST('/requests/find', { body: { match } })),
    /** Throws a VerificationError listing the near misses unless `times` requests (default: one or more) match. */
    verify: async (match: RequestMatch, options: VerifyOptions = {}) => {
      const found = await this.requests.find(match)
      const count = found.count ?? 0
      const ok = options.times === undefined ? count > 0 : count === options.times
      if (!ok) throw new VerificationError(match, found, options.times === undefined ? 'at least one request' : `${options.times} request(s)`)
      return found.requests ?? []
    },
  }

  /** Saves the org's whole state under `name` (replacing a snapshot of that name). */
  snapshot (name: string) {
    return payload(this.api.POST('/snapshots', { body: { name } }))
  }

  /** Brings the org back to the snapshot `name`. */
  restore (name: string) {
    return payload(this.api.POST('/snapshots/{name}/restore', { params: { path: { name } } }))
  }

  /** The API coverage of the org's requests so far (JSON). */
  coverage () {
    return payload(this.api.GET('/coverage'))
  }

  /** Joins like the front-end SDK with a participant's token, starting a session if none is live. */
  join (token: string) {
    return payload(this.api.POST('/join', { body: { token } }))
  }

  /** One peer leaves the session; the last one ends it. */
  leave (sessionId: string, peerId: string) {
    return payload(this.api.POST('/sessions/{sessionId}/peers/{peerId}/leave', { params: { path: { sessionId, peerId } } }))
  }

  /** The events the real API would have sent by webhook, oldest first. */
  events (query: EventQuery = {}) {
    return payload(this.api.GET('/events', { params: { query } }))
  }

  /** Resolves with the matching deliveries once `count` of them succeeded; a DyteMockError with status 408 after timeoutMs. */
  waitForDelivery (options: WaitForDeliveryOptions = {}) {
    const query = {
      event: options.event,
      webhook_id: options.webhookId,
      meeting_id: options.meetingId,
      since: iso(options.since),
      count: options.count,
      timeout_ms: options.timeoutMs,
    }
    return payload(this.api.GET('/webhook-deliveries/wait', { params: { query } }))
  }

  /** Wipes the org's state, its clock and settings included. */
  async reset () {
    await unwrap(this.api.POST('/reset'))
  }
}
