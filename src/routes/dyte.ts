// The Dyte v2 API (spec/dyte-v2.yaml) under /v2: every resource's handlers in one map, keyed by
// operationId.
import type { FastifyInstance } from 'fastify'
import type { LoadedSpec } from '../spec.js'
import { serveApi, type ApiOptions, type Handlers } from './index.js'
import type { DyteHandlers } from './types.js'
import { meetings } from './meetings.js'
import { participants } from './participants.js'
import { sessionAliases, sessions } from './sessions.js'
import { recordingAliases, recordings } from './recordings.js'
import { livestreams } from './livestreams.js'
import { webhooks } from './webhooks.js'
import { activeSession } from './active-session.js'
import { presets } from './presets.js'
import { analytics } from './analytics.js'
import { orgs } from './orgs.js'

export const dyteHandlers: Handlers = {
  ...meetings, ...participants, ...sessions, ...sessionAliases, ...recordings, ...recordingAliases, ...livestreams, ...webhooks,
  ...activeSession, ...presets, ...analytics, ...orgs,
} satisfies DyteHandlers

/** Reads whose answer is a function of the rows alone (no clock, no signing): served again from memory until a write. */
const KEPT = ['getMeeting', 'listMeetings']

export async function dyteApi (api: FastifyInstance, o: { spec: LoadedSpec } & Pick<ApiOptions, 'authenticate' | 'report'>) {
  serveApi(api, { operations: o.spec.operations, handlers: dyteHandlers, authenticate: o.authenticate, report: o.report, faults: true, rateLimit: 'dyte', liveShapes: true, keep: KEPT })
}
