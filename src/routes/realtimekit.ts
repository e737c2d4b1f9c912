// Cloudflare RealtimeKit's layout (spec/realtimekit.json): the same operations as /v2 under
// /accounts/{account_id}/realtime/kit/{app_id}/... (also below /client/v4), where the app id
// is the org namespace. Each RealtimeKit operation runs the Dyte handler of the same
// operation; `adapt` reshapes the answer where RealtimeKit's differs.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../errors.js'
import type { Handler, Handlers } from './index.js'
import { ok, okPaged, pageOf } from './envelope.js'
import { ensureOrg } from '../simulate/orgs.js'
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

interface Mapped {
  handler: string
  /** Reshapes the Dyte handler's answer. */
  adapt?: (b: Body, params: Record<string, string>) => unknown
  /** Adjusts the validated query before the Dyte handler reads it. */
  query?: (q: Record<string, unknown>) => void
  /** The fidelity ledger's entry, where it differs from the Dyte handler's. */
  ledger?: { state?: 'implemented' | 'simulated', note: string }
}

export const rtkMapping: Record<string, Mapped> = {
  get_all_meetings: { handler: 'listMeetings' },
  create_meeting: { handler: 'createMeeting' },
  get_meeting: { handler: 'getMeeting' },
  update_meeting: { handler: 'updateMeeting' },
  replace_meeting: { handler: 'replaceMeeting' },
  get_meeting_participants: { handler: 'listParticipants' },
  add_participant: { handler: 'addParticipant' },
  get_meeting_participant: { handler: 'getParticipant' },
  edit_participant: { handler: 'updateParticipant' },
  replace_participant: { handler: 'replaceParticipant' },
  delete_meeting_participant: { handler: 'deleteParticipant' },
  regenerate_token: { handler: 'regenerateParticipantToken' },
  'get-presets': { handler: 'listPresets' },
  'post-presets': { handler: 'createPreset' },
  'get-presets-preset_id': { handler: 'getPreset' },
  'patch-presets-preset_id': { handler: 'updatePreset' },
  'put-presets-preset_id': { handler: 'replacePreset' },
  'delete-presets-preset_id': { handler: 'deletePreset' },
  GetSessions: { handler: 'listSessions', adapt: (b) => ({ success: true, data: { sessions: b.data }, paging: b.paging }) },
  GetSessionDetails: { handler: 'getSession' },
  GetSessionParticipants: { handler: 'listSessionParticipants', adapt: (b) => ({ success: true, data: { participants: b.data, paging: b.paging } }) },
  GetParticipantDetails: {
    handler: 'getSessionParticipant',
    ledger: { state: 'implemented', note: 'RealtimeKit declares no call statistics here; peer_events with include_peer_events' },
  },
  GetActiveSession: { handler: 'getActiveSession' },
  KickPartcipants: { handler: 'kickParticipants' },
  KickAllParticipants: { handler: 'kickAllParticipants' },
  MuteParticipants: { handler: 'muteParticipants' },
  MuteAllParticipants: { handler: 'muteAllParticipants' },
  CreatePoll: { handler: 'createPoll' },
  get_all_recordings: { handler: 'listRecordings', adapt: recordingAnswer },
  start_recording: { handler: 'startRecording', adapt: recordingAnswer },
  get_one_recording: { handler: 'getRecording', adapt: recordingAnswer },
  pause_resume_stop_recording: { handler: 'updateRecording', adapt: recordingAnswer },
  get_active_recording: { handler: 'getActiveRecording', adapt: recordingAnswer },
  getAllWebhooks: { handler: 'listWebhooks' },
  addWebhook: { handler: 'createWebhook' },
  getWebhook: { handler: 'getWebhook' },
  editWebhook: { handler: 'updateWebhook' },
  replaceWebhook: { handler: 'replaceWebhook' },
  deleteWebhook: { handler: 'deleteWebhook' },
  getAllWebhookEvents: { handler: 'listWebhookEvents' },
  'start-livestreaming': { handler: 'startLivestream', adapt: livestreamStatuses },
  stop_livestreaming: { handler: 'stopLivestream' },
  'get-v2-meetings-meetingId-active-livestream': { handler: 'getActiveLivestream', adapt: livestreamStatuses },
  GetSessionChat: { handler: 'getSessionChat' },
  GetSessionTranscript: { handler: 'getSessionTranscript' },
  GetSessionSummary: { handler: 'getSessionSummary' },
  'post-sessions-session_id-summary': { handler: 'generateSessionSummary', adapt: (_b, params) => ({ success: true, data: { session_id: params.session_id, status: 'SUCCESS' } }) },
  GetParticipantDataFromPeerId: { handler: 'getPeerReportRealtimeKit' },
  'get-org-analytics': { handler: 'getOrgAnalytics' },
  startTrackRecordingForAMeeting: { handler: 'startTrackRecording', adapt: (b) => ({ success: true, data: { recording: typedStorage(b.data) } }) },
  create_livestream: { handler: 'createLivestream', adapt: livestreamStatuses },
  fetch_all_livestreams: {
    handler: 'listAllLivestreams',
    adapt: livestreamStatuses,
    query: (q) => { if (typeof q.status === 'string') q.status = livestreamStatusesShownAs(q.status) },
  },
  'get-v2-livestream-session-livestream-id': { handler: 'getLivestream', adapt: livestreamStatuses },
  'get-v2-active-livestream-session-details': { handler: 'getActiveLivestreamSession', adapt: livestreamStatuses },
  'get-v2-livestreams-livestream-session-id': { handler: 'getLivestreamSession' },
  'livestream-session-details': { handler: 'getMeetingLivestreams', adapt: livestreamStatuses },
  'get-v2-livestreamsession-session-meetingId-active-livestream': { handler: 'listSessionLivestreamSessions' },
  'get-livestream-analytics-complete': { handler: 'getLivestreamAnalytics' },
  'get-livestream-analytics-daywise': { handler: 'getLivestreamAnalyticsDaywise' },
  get_apps: { handler: 'listApps' },
  create_app: { handler: 'createApp' },
  get_app: { handler: 'getApp' },
}

const camel = (s: string) => s.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase())

/** RealtimeKit-only operations. */
export const rtkOnly = {
  /** The account's apps; when --orgs checks credentials, only those the caller's key created. */
  async listApps (req: FastifyRequest<{ Params: { accountId: string }, Querystring: { page_no?: number, per_page?: number, search?: string, sort_order?: 'ASC' | 'DESC' } }>) {
    const q = req.query
    const createdBy = req.caller?.checked ? req.caller.token : undefined
    return okPaged(req.server.dyte.store.apps.list(req.params.accountId, { search: q.search, sort_order: q.sort_order, created_by: createdBy }, pageOf(q)))
  },
  /** A new app of the account, recorded with the key that made it; created_at is on the new app's clock. */
  async createApp (req: FastifyRequest<{ Params: { accountId: string }, Body: { name?: string } }>) {
    const ctx = req.server.dyte
    const id = ctx.newId()
    const app = { id, name: req.body.name ?? null, created_at: ctx.now(id) }
    ctx.store.tx(() => {
      ctx.store.apps.insert(req.params.accountId, app, req.caller?.token ?? null)
      ensureOrg(ctx, app.id)
    })
    return ok({ app })
  },
  async getApp (req: FastifyRequest<{ Params: { accountId: string, appId: string } }>) {
    const app = req.server.dyte.store.apps.get(req.params.accountId, req.params.appId)
    if (!app) throw new ApiError(404, `No app found with id ${req.params.appId}`)
    return ok(app)
  },
} satisfies Record<string, Handler>

/** Handlers for spec/realtimekit.json, keyed by its operationIds. */
export function realtimeKitHandlers (dyte: Handlers, successCodes: Record<string, number | undefined>): Handlers {
  const all: Handlers = { ...dyte, ...rtkOnly, ...participantsRealtimeKit, ...webhooksRealtimeKit, ...sessionsRealtimeKit }
  const out: Handlers = {}
  for (const [operationId, m] of Object.entries(rtkMapping)) {
    const h = all[m.handler]
    if (!h) throw new Error(`RealtimeKit operation ${operationId} maps to missing handler ${m.handler}`)
    out[operationId] = async (req: FastifyRequest, reply: FastifyReply) => {
      const params = req.params as Record<string, string>
      for (const [k, v] of Object.entries(params)) params[camel(k)] = v
      m.query?.(req.query as Record<string, unknown>)
      const body = await h(req, reply)
      // RealtimeKit's success codes differ from Dyte's here and there (201 for presets, 200 for recordings).
      const code = successCodes[operationId]
      if (code && reply.statusCode < 300) reply.code(code)
      // RealtimeKit declares most fields non-nullable: the serializer leaves out an unknown value (see nullPruner).
      return m.adapt ? m.adapt(body as Body, params) : body
    }
  }
  return out
}
