// The request journal (GET /_mock/requests): what each org's client sent, kept in memory as a
// bounded ring per org. Recording keeps references only (the headers object, the parsed body, the
// URL); the entry's JSON shape, the parsed query and the masked headers are built when it is read.
import { iso } from './clock.js'
import { paging, type Page } from '../store/query.js'
import { starPattern } from './patterns.js'

/** What the HTTP layer hands over for one answered request. */
export interface Recorded {
  /** Org clock (ms) when it was answered. */
  atMs: number
  method: string
  /** The URL as sent (path and query string). */
  url: string
  /** The operation it was routed to, and the Dyte operation that answered it (RealtimeKit); undefined when no route matched. */
  operationId: string | undefined
  answersAs: string | undefined
  headers: Record<string, string | string[] | undefined>
  /** The JSON body's text as it arrived (undefined: none). */
  rawBody: string | undefined
  status: number
  durationMs: number
  faultId: string | undefined
  hint: string | undefined
}

interface Stored extends Recorded { seq: number }

export interface JournalEntry {
  seq: number
  at: string
  method: string
  path: string
  operation_id: string | null
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body: unknown
  status: number
  duration_ms: number
  fault_id: string | null
  hint: string | null
}

/** Credentials never leave the journal: the scheme of an Authorization header is kept, the rest masked. */
const MASKED = new Set(['authorization', 'x-auth-key'])
const mask = (name: string, value: string) => {
  if (!MASKED.has(name)) return value
  const scheme = /^\s*(\w+)\s+\S/.exec(value)?.[1]
  return scheme && name === 'authorization' ? `${scheme} ***` : '***'
}

function queryOf (url: string): Record<string, string | string[]> {
  const i = url.indexOf('?')
  const out: Record<string, string | string[]> = {}
  if (i < 0) return out
  for (const [k, v] of new URLSearchParams(url.slice(i + 1))) {
    const had = out[k]
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]
  }
  return out
}

/** The body as parsed JSON; a body that was not valid JSON (answered 400) as its text. */
function bodyOf (raw: string | undefined): unknown {
  if (raw === undefined) return null
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

function view (e: Stored): JournalEntry {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(e.headers)) {
    if (v !== undefined) headers[k] = mask(k, Array.isArray(v) ? v.join(', ') : v)
  }
  const q = e.url.indexOf('?')
  return {
    seq: e.seq,
    at: iso(e.atMs),
    method: e.method,
    path: q < 0 ? e.url : e.url.slice(0, q),
    operation_id: e.answersAs ?? e.operationId ?? null,
    query: queryOf(e.url),
    headers,
    body: bodyOf(e.rawBody),
    status: e.status,
    duration_ms: Math.round(e.durationMs * 1000) / 1000,
    fault_id: e.faultId ?? null,
    hint: e.hint ?? null,
  }
}

/** A fixed-size ring: push is O(1) and drops the oldest entry once full. */
class Ring {
  private readonly items: Stored[] = []
  private start = 0
  seq = 0
  constructor (private readonly size: number) {}
  push (r: Recorded) {
    const e = r as Stored
    e.seq = ++this.seq
    if (this.items.length < this.size) this.items.push(e)
    else {
      this.items[this.start] = e
      this.start = (this.start + 1) % this.size
    }
  }

  /** Oldest first. */
  entries (): Stored[] {
    return this.start === 0 ? this.items.slice() : [...this.items.slice(this.start), ...this.items.slice(0, this.start)]
  }

  clear () {
    this.items.length = 0
    this.start = 0
  }
}

/** A request's view for matching: the entry's JSON shape, and the ids it can be named by. */
export interface Candidate { entry: JournalEntry, operationIds: (string | undefined)[] }

/** GET /_mock/requests filters; `path` is a prefix, or a pattern with `*`. */
export interface ListFilter { method?: string, operation_id?: string, path?: string, status?: number, since_seq?: number }

const CLIENT_V4 = '/client/v4/'
/** The path as sent, and the path RealtimeKit's routes know it by (without /client/v4). */
export const pathForms = (path: string) => (path.startsWith(CLIENT_V4) ? [path, path.slice(CLIENT_V4.length - 1)] : [path])

function listFilter (f: ListFilter) {
  const path = f.path === undefined ? undefined : starPattern(f.path, f.path.includes('*'))
  return (e: Stored) =>
    (f.since_seq === undefined || e.seq > f.since_seq) &&
    (f.method === undefined || e.method === f.method) &&
    (f.status === undefined || e.status === f.status) &&
    (f.operation_id === undefined || e.operationId === f.operation_id || e.answersAs === f.operation_id) &&
    (path === undefined || pathForms(e.url.split('?')[0]).some((p) => path.test(p)))
}

/** `size`: entries kept per org (0: nothing is kept). */
export function createJournal (size: number) {
  const rings = new Map<string, Ring>()
  const stored = (orgId: string) => rings.get(orgId)?.entries() ?? []
  return {
    enabled: size > 0,
    size,
    /** Takes ownership of `r` (it is stored as is). */
    record (orgId: string, r: Recorded) {
      if (size <= 0) return
      let ring = rings.get(orgId)
      if (!ring) rings.set(orgId, ring = new Ring(size))
      ring.push(r)
    },
    /** Newest first; only the page's entries are shaped. */
    list (orgId: string, f: ListFilter, page: Page) {
      const all = stored(orgId).filter(listFilter(f)).reverse()
      const start = (page.page_no - 1) * page.per_page
      const data = all.slice(start, start + page.per_page).map(view)
      return { data, paging: paging(all.length, page, data.length) }
    },
    /** The org's entries, oldest first, with the operation ids each answers to. */
    candidates (orgId: string): Candidate[] {
      return stored(orgId).map((e) => ({ entry: view(e), operationIds: [e.operationId, e.answersAs] }))
    },
    /** DELETE /_mock/requests: sequence numbers keep counting. */
    clear (orgId: string) { rings.get(orgId)?.clear() },
    /** POST /_mock/reset: the org starts over, its sequence too. */
    forget (orgId: string) { rings.delete(orgId) },
  }
}

export type Journal = ReturnType<typeof createJournal>
