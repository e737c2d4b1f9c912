import type { FastifyRequest } from 'fastify'
import { badRequest } from '../errors.js'
import type { Paging } from '../store/query.js'
import type { Page } from '../store/query.js'

export const ok = <T>(data: T) => ({ success: true as const, data })
export const okPaged = <T>(list: { data: T[], paging: Paging }) => ({ success: true as const, data: list.data, paging: list.paging })
export const okMessage = (message: string, data?: unknown) => ({ success: true as const, message, data })

/**
 * page_no/per_page after validation (the spec gives their defaults). /v2 declares integers with
 * page_no ≥ 1 and per_page 1…1000; RealtimeKit declares numbers ≥ 0 (some with no bound at all):
 * a fraction is rounded down, page_no 0 (or less) is the first page, and per_page 0 an empty page
 * that still reports total_count. Bounds keep the row offset an exact integer.
 */
export const pageOf = (q: { page_no?: number, per_page?: number }): Page => ({
  page_no: Math.min(1e9, Math.max(1, Math.floor(q.page_no ?? 1))),
  per_page: Math.min(1e6, Math.max(0, Math.floor(q.per_page ?? 20))),
})

/**
 * Milliseconds of a date-time the spec's `format: date-time` accepted (RFC 3339). That format allows
 * a leap second (23:59:60), which Date cannot parse: it is taken as the instant after :59.
 */
export function dateTimeMs (v: string): number {
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? Date.parse(v.replace(/([Tt ]\d\d:\d\d):60/, '$1:59')) + 1000 : ms
}

// Stored timestamps are ISO strings with four-digit years, compared as text: a query time is
// clamped to that range (a bound beyond it selects the same rows).
const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z')
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z')

/**
 * Milliseconds of a query time: an ISO date-time (Dyte), or a Unix timestamp in seconds where the
 * spec declares an integer (RealtimeKit's livestream analytics).
 */
export function timeParamMs (v: string | number): number {
  const ms = typeof v === 'number' ? v * 1000 : dateTimeMs(v)
  if (Number.isNaN(ms)) throw badRequest(`${JSON.stringify(v)} is not a date-time`)
  return Math.min(MAX_MS, Math.max(MIN_MS, ms))
}

/** Normalises a query time (see timeParamMs) so it compares with stored timestamps. */
export const isoParam = (v: string | number | undefined) => (v === undefined ? undefined : new Date(timeParamMs(v)).toISOString())

/** A server-relative URL (a download link) with the origin the client used to reach this server. */
export const absolute = (req: FastifyRequest, path: string) => `${req.protocol}://${req.host}${path}`
