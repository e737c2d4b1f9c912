import type { FastifyRequest } from 'fastify'
import type { Paging } from '../store/query.js'
import type { Page } from '../store/query.js'

export const ok = <T>(data: T) => ({ success: true as const, data })
export const okPaged = <T>(list: { data: T[], paging: Paging }) => ({ success: true as const, data: list.data, paging: list.paging })
export const okMessage = (message: string, data?: unknown) => ({ success: true as const, message, data })

/** page_no/per_page after validation (the spec gives their defaults). */
export const pageOf = (q: { page_no?: number, per_page?: number }): Page => ({ page_no: q.page_no ?? 1, per_page: q.per_page ?? 20 })

/**
 * Milliseconds of a date-time the spec's `format: date-time` accepted (RFC 3339). That format allows
 * a leap second (23:59:60), which Date cannot parse: it is taken as the instant after :59.
 */
export function dateTimeMs (v: string): number {
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? Date.parse(v.replace(/([Tt ]\d\d:\d\d):60/, '$1:59')) + 1000 : ms
}

/** Normalises an ISO date-time from a query string so it compares with stored timestamps. */
export const isoParam = (v: string | undefined) => (v === undefined ? undefined : new Date(dateTimeMs(v)).toISOString())

/** A server-relative URL (a download link) with the origin the client used to reach this server. */
export const absolute = (req: FastifyRequest, path: string) => `${req.protocol}://${req.host}${path}`
