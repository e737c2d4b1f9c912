// The request journal (GET /_mock/requests): what each org's client sent, kept in memory as a
// bounded ring per org. Each entry is kept as text (its fields joined by NUL, the body last) in
// buffers outside the JavaScript heap (Ring): a journal of 10,000 requests is then nothing for the
// garbage collector to move or mark, where keeping each request's own objects (entry, headers
// object, header values, URL) made every request's garbage collection slower and the old
// generation fill up. The entry's JSON shape, the parsed query and the masked headers are built
// when it is read.
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

/** An entry as read back: each header one string (repeated ones joined with ', ' when recorded). */
interface Stored extends Omit<Recorded, 'headers'> { seq: number, headers: Record<string, string> }

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
  for (const [k, v] of Object.entries(e.headers)) headers[k] = mask(k, v)
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

// One entry's text: its strings joined by NUL (method, URL, operation ids, fault, hint, the header
// count, each header's name and value) and the body last: it alone may hold a NUL (HTTP refuses one
// in a URL or header, and a hint, which may quote what was sent, has it replaced). Its numbers are
// kept beside it, in Ring.index.
const SEP = '\u0000'
const STRINGS = 6

function encode (r: Recorded): string {
  const parts: string[] = [r.method, r.url, r.operationId ?? '', r.answersAs ?? '', r.faultId ?? '', r.hint?.replaceAll(SEP, '\ufffd') ?? '']
  let n = 0
  const count = parts.push('') - 1
  for (const name in r.headers) {
    const v = r.headers[name]
    if (v === undefined) continue
    parts.push(name, Array.isArray(v) ? v.join(', ') : v)
    n++
  }
  parts[count] = String(n)
  parts.push(r.rawBody ?? '')
  return parts.join(SEP)
}

/** An entry from its text and its numbers. */
function decode (text: string, seq: number, atMs: number, status: number, durationMs: number, hasBody: boolean): Stored {
  let at = 0
  const next = () => {
    const end = text.indexOf(SEP, at)
    const field = text.slice(at, end)
    at = end + 1
    return field
  }
  const f: string[] = []
  for (let i = 0; i < STRINGS; i++) f.push(next())
  const headers: Record<string, string> = {}
  for (let n = Number(next()); n > 0; n--) {
    const name = next()
    headers[name] = next()
  }
  const optional = (v: string) => (v === '' ? undefined : v)
  return {
    seq,
    atMs,
    status,
    durationMs,
    method: f[0],
    url: f[1],
    operationId: optional(f[2]),
    answersAs: optional(f[3]),
    faultId: optional(f[4]),
    hint: optional(f[5]),
    rawBody: hasBody ? text.slice(at) : undefined,
    headers,
  }
}

/** The first buffer an org's entries are written to; each next one is twice as large, up to LARGEST_CHUNK. */
const FIRST_CHUNK = 4096
const LARGEST_CHUNK = 256 * 1024
/** Bytes of entries an org keeps at most, besides the count: a few huge bodies cannot take all memory. */
export const JOURNAL_MAX_BYTES = 32 * 1024 * 1024
/** Ring.index per entry: chunk number, offset, length, seq, atMs, status, durationMs, whether it has a body (1) or not (0). */
const STRIDE = 8
/** Entries the index first has room for; it doubles as needed, up to the ring's size. */
const FIRST_SLOTS = 64

/**
 * An org's entries, oldest first, at most `size` of them: each one's text is written as UTF-8 into
 * buffers outside the JavaScript heap, and its numbers into a Float64Array used as a ring, so the
 * garbage collector has nothing per entry to move or mark. Dropping the oldest entry is O(1); a
 * buffer is freed once its last entry is dropped.
 */
class Ring {
  seq = 0
  private chunks: Buffer[] = []
  /** Entries still kept in each chunk. */
  private live: number[] = []
  /** The number of chunks[0]; entries name their chunk by number. */
  private firstChunk = 0
  /** Bytes written into the last chunk. */
  private used = 0
  private bytes = 0
  /** STRIDE numbers per slot; the oldest entry is in slot `head`, the others follow it round the ring. */
  private index = new Float64Array(0)
  private slots = 0
  private head = 0
  private count = 0
  constructor (private readonly size: number) {}

  push (r: Recorded) {
    if (this.count === this.size) this.dropOldest()
    if (this.count === this.slots) this.grow()
    const text = encode(r)
    let last = this.chunks[this.chunks.length - 1]
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the exact length is only counted when it may not fit.
    const length = last !== undefined && this.used + 3 * text.length <= last.length ? -1 : Buffer.byteLength(text)
    if (last === undefined || (length >= 0 && this.used + length > last.length)) {
      const next = last === undefined ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, last.length * 2)
      last = Buffer.allocUnsafeSlow(Math.max(next, length))
      this.chunks.push(last)
      this.live.push(0)
      this.bytes += last.length
      this.used = 0
    }
    const written = last.write(text, this.used, 'utf8')
    const x = this.index
    let i = (this.head + this.count) % this.slots * STRIDE
    x[i++] = this.firstChunk + this.chunks.length - 1
    x[i++] = this.used
    x[i++] = written
    x[i++] = ++this.seq
    x[i++] = r.atMs
    x[i++] = r.status
    x[i++] = r.durationMs
    x[i] = r.rawBody === undefined ? 0 : 1
    this.live[this.live.length - 1]++
    this.used += written
    this.count++
    while (this.bytes > JOURNAL_MAX_BYTES && this.chunks.length > 1) this.dropOldest()
  }

  /** More slots (twice as many, at most `size`), the entries moved to the start in order. */
  private grow () {
    const slots = Math.min(this.size, Math.max(FIRST_SLOTS, this.slots * 2))
    const index = new Float64Array(slots * STRIDE)
    for (let n = 0; n < this.count; n++) {
      const from = (this.head + n) % this.slots * STRIDE
      index.set(this.index.subarray(from, from + STRIDE), n * STRIDE)
    }
    this.index = index
    this.slots = slots
    this.head = 0
  }

  private dropOldest () {
    const chunk = this.index[this.head * STRIDE] - this.firstChunk
    this.head = (this.head + 1) % this.slots
    this.count--
    if (--this.live[chunk] === 0 && this.chunks.length > 1) {
      this.bytes -= this.chunks[0].length
      this.chunks.shift()
      this.live.shift()
      this.firstChunk++
    }
  }

  /** Oldest first. */
  entries (): Stored[] {
    const out: Stored[] = []
    const x = this.index
    for (let n = 0; n < this.count; n++) {
      const i = (this.head + n) % this.slots * STRIDE
      const text = this.chunks[x[i] - this.firstChunk].toString('utf8', x[i + 1], x[i + 1] + x[i + 2])
      out.push(decode(text, x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7] === 1))
    }
    return out
  }

  clear () {
    this.chunks = []
    this.live = []
    this.bytes = 0
    this.index = new Float64Array(0)
    this.slots = 0
    this.head = 0
    this.count = 0
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
    /** Keeps a copy of what `r` holds (nothing of it is referenced afterwards). */
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
