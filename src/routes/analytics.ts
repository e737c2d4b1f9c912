import type { FastifyRequest } from 'fastify'
import { badRequest } from '../errors.js'
import type { ApiHandlers } from './types.js'
import { ok, timeParamMs } from './envelope.js'

const DAY = 86_400_000
const round = (n: number) => Math.round(n * 10_000) / 10_000

// Usage computed from the stored sessions and recordings, per UTC day.
export const analytics = {
  async getOrgAnalytics (req) {
    const { store, clock } = req.server.dyte
    const end = dayParam('end_date', req.query.end_date) ?? new Date(clock.now(req.orgId)).toISOString().slice(0, 10)
    const start = dayParam('start_date', req.query.start_date) ?? new Date(Date.parse(end) - 30 * DAY).toISOString().slice(0, 10)
    if (start > end) throw badRequest(`querystring/start_date ${start} is after end_date ${end}`)
    const to = new Date(Date.parse(end) + DAY).toISOString().slice(0, 10)
    const { sessions, recordings } = store.sessions.dayStats(req.orgId, start, to)
    const sum = (xs: { minutes: number }[]) => round(xs.reduce((a, x) => a + x.minutes, 0))
    return ok({
      session_stats: {
        sessions_count: sessions.reduce((a, x) => a + x.count, 0),
        sessions_minutes_consumed: sum(sessions),
        day_stats: sessions.map((d) => ({ day: d.day, total_sessions: d.count, total_session_minutes: round(d.minutes) })),
      },
      recording_stats: {
        recording_count: recordings.reduce((a, x) => a + x.count, 0),
        recording_minutes_consumed: sum(recordings),
        day_stats: recordings.map((d) => ({ day: d.day, total_recordings: d.count, total_recording_minutes: round(d.minutes) })),
      },
    })
  },

  async getLivestreamAnalytics (req) {
    const [from, to] = range(req, req.query)
    return ok(req.server.dyte.store.livestreamSessions.totals(req.orgId, from, to))
  },

  async getLivestreamAnalyticsDaywise (req) {
    const [from, to] = range(req, req.query)
    return ok(req.server.dyte.store.livestreamSessions.days(req.orgId, from, to))
  },
} satisfies Partial<ApiHandlers>

/**
 * A day as YYYY-MM-DD (/v2 declares `format: date`; RealtimeKit only `string`, so it is checked
 * here): one that is not a real calendar day is a 400, like any other invalid query value.
 */
function dayParam (name: string, v: string | undefined) {
  if (v === undefined) return undefined
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(v + 'T00:00:00Z') : NaN
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) throw badRequest(`querystring/${name} must be a date as YYYY-MM-DD, got '${v}'`)
  return v
}

/** ISO date-times under /v2; Unix timestamps in seconds under RealtimeKit (its spec's integers). */
type TimeRange = { start_time?: string | number, end_time?: string | number }

/** [start, end) as ISO times; the default is the last 30 days on the org clock. */
function range (req: FastifyRequest, q: TimeRange) {
  const toMs = q.end_time === undefined ? req.server.dyte.clock.now(req.orgId) + 1 : timeParamMs(q.end_time)
  const fromMs = q.start_time === undefined ? toMs - 30 * DAY : timeParamMs(q.start_time)
  const [from, to] = [new Date(fromMs).toISOString(), new Date(toMs).toISOString()]
  if (fromMs > toMs) throw badRequest(`querystring/start_time ${from} is after end_time ${to}`)
  return [from, to]
}
