// Cloudflare RealtimeKit's layout (spec/realtimekit.json): the same operations as /v2 under
// /accounts/{account_id}/realtime/kit/{app_id}/... (also below /client/v4), where the app id
// is the org namespace. Each RealtimeKit operation runs the handler that answers it
// (src/realtimekit-operations.ts); an adapter reshapes the answer where RealtimeKit's differs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { found } from '../errors.js'
import type { LoadedSpec } from '../spec.js'
import { answeredBy, realtimeKitOperations, type RealtimeKitOperationId } from '../realtimekit-operations.js'
import { serveApi, type ApiOptions, type Handlers } from './index.js'
import type { ApiHandlers } from './types.js'
import { ok, okPaged, pageOf } from './envelope.js'
import { dyteHandlers } from './dyte.js'
import { participantsRealtimeKit } from './participants.js'
import { webhooksRealtimeKit } from './webhooks.js'
import { sessionsRealtimeKit } from './sessions.js'

type Body = { success: boolean, data: any, paging?: unknown }

/**
 * RealtimeKit's livestream statuses are INVOKED, LIVE, IDLE and ERRORED. The simulator's others are
 * shown as the nearest of them: STOPPING (stop was asked; ingest winds down and the livestream is
 * still the meeting's active one until IDLE) as LIVE; STARTING as INVOKED; OFFLINE as IDLE.
 */
export const rtkLivestreamStatus: Record<string, string> = { STOPPING: 'LIVE', STARTING: 'INVOKED', OFFLINE: 'IDLE' }

/** The RealtimeKit statuses each simulator status is shown as, inverted: a status filter matches what it shows. */
const livestreamStatusesShownAs = (status: string) => [status, ...Object.keys(rtkLivestreamStatus).filter((k) => rtkLivestreamStatus[k] === status)]

/** Rewrites every livestream `status` inside a livestream answer (a livestream, a list, or {livestream(s), session(s)}). */
function livestreamStatuses (b: Body) {
  const walk = (v: any): any => {
    if (Array.isArray(v)) return v.map(walk)
    if (v === null || typeof v !== 'object') return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = k === 'status' && typeof x === 'string' ? rtkLivestreamStatus[x] ?? x : walk(x)
    return out
  }
  return { ...b, data: walk(b.data) }
}

/**
 * RealtimeKit requires a storage_config's type; a recording started through /v2 without one (the
 * seed allows that) is shown here without its storage_config.
 */
const typedStorage = (r: any) => (r?.storage_config && !r.storage_config.type ? { ...r, storage_config: undefined } : r)
const recordingAnswer = (b: Body) => ({ ...b, data: Array.isArray(b.data) ? b.data.map(typedStorage) : typedStorage(b.data) })

/** How a RealtimeKit operation's answer differs from that of the Dyte handler that answers it. */
interface Adapter {
  /** Reshapes the Dyte handler's answer. */
  adapt?: (b: Body, params: Record<string, string>) => unknown
  /** Adjusts the validated query before the Dyte handler reads it. */
  query?: (q: Record<string, unknown>) => void
}

const adapters: Record<string, Adapter | undefined> = {
  GetSessions: { adapt: (b) => ({ success: true, data: { sessions: b.data }, paging: b.paging }) },
  GetSessionParticipants: { adapt: (b) => ({ success: true, data: { participants: b.data, paging: b.paging } }) },
  get_all_recordings: { adapt: recordingAnswer },
  start_recording: { adapt: recordingAnswer },
  get_one_recording: { adapt: recordingAnswer },
  pause_resume_stop_recording: { adapt: recordingAnswer },
  get_active_recording: { adapt: recordingAnswer },
  'start-livestreaming': { adapt: livestreamStatuses },
  'get-v2-meetings-meetingId-active-livestream': { adapt: livestreamStatuses },
  'post-sessions-session_id-summary': { adapt: (_b, params) => ({ success: true, data: { session_id: params.session_id, status: 'SUCCESS' } }) },
  startTrackRecordingForAMeeting: { adapt: (b) => ({ success: true, data: { recording: typedStorage(b.data) } }) },
  create_livestream: { adapt: livestreamStatuses },
  'get-v2-livestream-session-livestream-id': { adapt: livestreamStatuses },
  'get-v2-active-livestream-session-details': { adapt: livestreamStatuses },
  'livestream-session-details': { adapt: livestreamStatuses },
  fetch_all_livestreams: {
    adapt: livestreamStatuses,
    query: (q) => { if (typeof q.status === 'string') q.status = livestreamStatusesShownAs(q.status) },
  },
} satisfies Partial<Record<RealtimeKitOperationId, Adapter>>

const camel = (s: string) => s.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase())

/** RealtimeKit-only operations. */
const rtkOnly = {
  /** The account's apps; when --orgs checks credentials, only those the caller's key created. */
  async listApps (req) {
    const q = req.query
    const createdBy = req.caller?.checked ? req.caller.token : undefined
    return okPaged(req.server.dyte.store.apps.list(req.params.accountId, { search: q.search, sort_order: q.sort_order, created_by: createdBy }, pageOf(q)))
  },
  /** A new app of the account, recorded with the key that made it; created_at is on the new app's clock. */
  async createApp (req) {
    return ok({ app: req.server.dyte.sim.orgs.createApp(req.params.accountId, req.body.name, req.caller?.token ?? null) })
  },
  async getApp (req) {
    return ok(found(req.server.dyte.store.apps.get(req.params.accountId, req.params.appId), 'app', req.params.appId))
  },
} satisfies Partial<ApiHandlers>

/** Handlers for spec/realtimekit.json, keyed by its operationIds. */
function realtimeKitHandlers (successCodes: Record<string, number | undefined>): Handlers {
  const all: Handlers = { ...dyteHandlers, ...rtkOnly, ...participantsRealtimeKit, ...webhooksRealtimeKit, ...sessionsRealtimeKit }
  const out: Handlers = {}
  for (const [operationId, name] of Object.entries(realtimeKitOperations)) {
    const h = all[name]
    if (!h) throw new Error(`RealtimeKit operation ${operationId} maps to missing handler ${name}`)
    const { adapt, query } = adapters[operationId] ?? {}
    out[operationId] = async (req: FastifyRequest, reply: FastifyReply) => {
      const params = req.params as Record<string, string>
      for (const [k, v] of Object.entries(params)) params[camel(k)] = v
      query?.(req.query as Record<string, unknown>)
      // Validated against the RealtimeKit operation's schemas, which the handler's types include (routes/types.ts).
      const body = await h(req as never, reply)
      // RealtimeKit's success codes differ from Dyte's here and there (201 for presets, 200 for recordings).
      const code = successCodes[operationId]
      if (code && reply.statusCode < 300) reply.code(code)
      // RealtimeKit declares most fields non-nullable: the serializer leaves out an unknown value (see nullPruner).
      return adapt ? adapt(body as Body, params) : body
    }
  }
  return out
}

/**
 * RealtimeKit: the same state under Cloudflare's paths (also below /client/v4: see rewriteUrl).
 * Its document declares almost no errors; they are answered (and checked) in Dyte's envelope.
 */
export async function realtimeKitApi (api: FastifyInstance, o: { spec: LoadedSpec, v2: LoadedSpec } & Pick<ApiOptions, 'authenticate' | 'report'>) {
  const successCodes = Object.fromEntries(o.spec.operations.map((op) => {
    const codes = Object.keys(op.responses).filter((c) => /^2\d\d$/.test(c))
    return [op.operationId, codes.length === 1 ? Number(codes[0]) : undefined]
  }))
  serveApi(api, {
    operations: o.spec.operations.map((op) => ({ ...op, server: '' })),
    handlers: realtimeKitHandlers(successCodes),
    authenticate: o.authenticate,
    report: o.report,
    undeclaredErrors: o.v2.operations.find((op) => op.operationId === 'getMeeting')!.responses['404']!,
    faults: true,
    rateLimit: 'cloudflare',
    answersAs: answeredBy,
  })
}
