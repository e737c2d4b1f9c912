// POST /_mock/requests/find: the journaled requests that meet a match, and when none does, the
// ones that came closest with what differed (WireMock's near misses).
import { isDeepStrictEqual } from 'node:util'
import type { Candidate, JournalEntry } from './journal.js'
import { pathForms } from './journal.js'
import { templatePattern } from './patterns.js'

export interface RequestMatch {
  method?: string
  path?: string
  operation_id?: string
  query?: Record<string, unknown>
  headers?: Record<string, string | boolean>
  body?: unknown
  status?: number
}

/** One criterion a request failed; `actual` is left out when the request had no such field. */
export interface Difference { field: string, expected: unknown, actual?: unknown }

const NEAR_MISSES = 5
/** How much a failed criterion weighs in ranking near misses: the route counts most, a single body field least. */
const WEIGHT: Record<string, number> = { method: 2, path: 3, operation_id: 3, status: 1 }
const weight = (d: Difference) => WEIGHT[d.field] ?? 1

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const differs = (field: string, expected: unknown, actual: unknown): Difference =>
  (actual === undefined ? { field, expected } : { field, expected, actual })

/** Every key of `expected` must be in `actual` with an equal value, recursively; arrays and other values compare whole. */
function subsetDifferences (expected: unknown, actual: unknown, field: string, out: Difference[]) {
  if (isObject(expected) && isObject(actual)) {
    for (const [k, v] of Object.entries(expected)) subsetDifferences(v, actual[k], `${field}.${k}`, out)
  } else if (!isDeepStrictEqual(expected, actual)) {
    out.push(differs(field, expected, actual))
  }
}

/** Query values arrive as text: an expected number or boolean compares as its text, a list element by element. */
const asText = (v: unknown): unknown => (Array.isArray(v) ? v.map(asText) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)

export function compileMatch (m: RequestMatch) {
  const path = m.path === undefined ? undefined : templatePattern(m.path)
  const headers = Object.entries(m.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const)
  return ({ entry: e, operationIds }: Candidate): Difference[] => {
    const out: Difference[] = []
    if (m.method !== undefined && m.method !== e.method) out.push(differs('method', m.method, e.method))
    if (path && !pathForms(e.path).some((p) => path.test(p))) out.push(differs('path', m.path, e.path))
    if (m.operation_id !== undefined && !operationIds.includes(m.operation_id)) out.push(differs('operation_id', m.operation_id, e.operation_id ?? undefined))
    if (m.status !== undefined && m.status !== e.status) out.push(differs('status', m.status, e.status))
    for (const [k, v] of Object.entries(m.query ?? {})) {
      if (!isDeepStrictEqual(asText(v), e.query[k])) out.push(differs(`query.${k}`, v, e.query[k]))
    }
    for (const [k, v] of headers) {
      const actual = e.headers[k]
      const ok = v === true ? actual !== undefined : v === false ? actual === undefined : actual === v
      if (!ok) out.push(differs(`headers.${k}`, v, actual))
    }
    if (m.body !== undefined) subsetDifferences(m.body, e.body ?? undefined, 'body', out)
    return out
  }
}

export interface NearMiss { request: JournalEntry, differences: Difference[] }

/** Matching entries oldest first; when there are none, up to five near misses, closest (then newest) first. */
export function findRequests (candidates: Candidate[], m: RequestMatch) {
  const check = compileMatch(m)
  const requests: JournalEntry[] = []
  const misses: (NearMiss & { score: number })[] = []
  for (const c of candidates) {
    const differences = check(c)
    if (differences.length === 0) requests.push(c.entry)
    else misses.push({ request: c.entry, differences, score: differences.reduce((s, d) => s + weight(d), 0) })
  }
  const nearMisses = requests.length > 0
    ? []
    : misses.sort((a, b) => a.score - b.score || b.request.seq - a.request.seq).slice(0, NEAR_MISSES).map(({ request, differences }) => ({ request, differences }))
  return { count: requests.length, requests, near_misses: nearMisses }
}
