// The fidelity ledger: every operation of both upstream specs (Dyte v2 and Cloudflare
// RealtimeKit) with its state here: implemented (real state), simulated (state is invented,
// e.g. transcripts) or not served, and the known differences from production.
import { loadSpec, type LoadedSpec } from './spec.js'
import { answeredBy } from './realtimekit-operations.js'

export type State = 'implemented' | 'simulated' | 'not served'

export interface LedgerEntry {
  api: 'dyte' | 'realtimekit'
  method: string
  path: string
  upstream_operation_id: string
  state: State
  /** The operation serving it here (spec/dyte-v2.yaml or spec/realtimekit.json). */
  served_by: string | null
  notes: string
}

/** What is invented or differs, by the operationId serving it (Dyte's names in spec/dyte-v2.yaml). */
const notes: Record<string, { state?: State, note: string }> = {
  getSessionChat: { state: 'simulated', note: 'chat is not simulated: the export has one message per participant join' },
  getSessionTranscript: { state: 'simulated', note: 'the transcript is generated (one line per participant); ready once the session ended' },
  getSessionSummary: { state: 'simulated', note: 'the summary is generated from the session (participants, minutes)' },
  generateSessionSummary: { state: 'simulated', note: 'RealtimeKit answers {session_id, status}; Dyte {success, message}' },
  getPeerReport: { state: 'simulated', note: 'call statistics are a fixed sample' },
  getPeerReportRealtimeKit: { state: 'simulated', note: 'call statistics (peer_report) are a fixed sample' },
  getSessionParticipant: { state: 'simulated', note: 'call statistics are a fixed sample' },
  muteParticipants: { state: 'simulated', note: 'media is not simulated: validated, answered, nothing else changes' },
  muteAllParticipants: { state: 'simulated', note: 'media is not simulated' },
  createPoll: { state: 'simulated', note: 'polls are not stored; no votes' },
  startTrackRecording: { note: 'one recording stands for all layers' },
  startRecording: { note: 'answers 201 under /v2 (the seed; 200 with shapes live), 200 under RealtimeKit; max_seconds does not stop it' },
  listSessions: { note: '/v2 keeps the seed shape (data: Session[]) unless shapes is live; RealtimeKit: data.sessions' },
  listSessionParticipants: { note: '/v2 keeps the seed shape (data: [...]) unless shapes is live; RealtimeKit: data.participants' },
  getSession: { note: 'breakout rooms are never simulated (empty list)' },
  listAllLivestreams: { note: 'upstream (and the Cloudflare SDK type) declares data as one livestream; a list with paging is returned, as Dyte\'s example shows (one livestream with shapes live)' },
  getLivestreamAnalyticsDaywise: { note: 'RealtimeKit shape (a list of days) under both layouts (one day under /v2 with shapes live)' },
  createLivestream: { note: 'IDLE until POST /_mock/livestreams/{id}/ingest stands in for an RTMP encoder' },
  listOrgs: { note: 'an org is visible to the CLI token that made it' },
  updateWebhook: { note: 'the real PATCH body (every field optional), not the seed\'s' },
}

/** Where a RealtimeKit operation's entry differs from that of the Dyte operation serving it, by RealtimeKit operationId. */
const realtimeKitNotes: Record<string, { state?: State, note: string }> = {
  GetParticipantDetails: { state: 'implemented', note: 'RealtimeKit declares no call statistics here; peer_events with include_peer_events' },
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const
/** /meetings/{meeting_id} and /meetings/{meetingId} are the same operation. */
const shape = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`

function upstreamOperations (spec: LoadedSpec) {
  const out: { method: string, path: string, operationId: string }[] = []
  for (const [path, item] of Object.entries<any>(spec.document.paths)) {
    for (const m of methods) if (item[m]) out.push({ method: m.toUpperCase(), path, operationId: item[m].operationId ?? `${m} ${path}` })
  }
  return out
}

let cached: LedgerEntry[] | undefined

export function fidelityLedger (): LedgerEntry[] {
  if (cached) return cached
  const served = loadSpec('dyte-v2.yaml')
  const byShape = new Map(served.operations.map((op) => [shape(op.method, op.path), op.operationId]))
  const entry = (api: LedgerEntry['api'], u: { method: string, path: string, operationId: string }, by: string | undefined, dyteName: string | undefined): LedgerEntry => {
    const n = dyteName ? notes[dyteName] : undefined
    return {
      api,
      method: u.method,
      path: u.path,
      upstream_operation_id: u.operationId,
      state: by ? n?.state ?? 'implemented' : 'not served',
      served_by: by ?? null,
      notes: n?.note ?? '',
    }
  }
  const dyte = upstreamOperations(loadSpec('upstream/dyte-v2.yaml')).map((u) => {
    const by = byShape.get(shape(u.method, u.path))
    return entry('dyte', u, by, by)
  })
  const rtk = upstreamOperations(loadSpec('upstream/cloudflare-realtimekit.openapi.json')).map((u) => {
    const handler = answeredBy(u.operationId)
    const e = entry('realtimekit', u, handler ? u.operationId : undefined, handler)
    const own = realtimeKitNotes[u.operationId]
    return own ? { ...e, state: own.state ?? e.state, notes: own.note } : e
  })
  cached = [...dyte, ...rtk]
  return cached
}

/** The ledger as a Markdown table (docs/fidelity.md, between its generated-table markers). */
export function ledgerMarkdown (ledger = fidelityLedger()) {
  const rows = ledger.map((e) => `| ${e.api} | \`${e.method} ${e.path.replace('/accounts/{account_id}/realtime/kit', '…')}\` | ${e.state} | ${e.served_by ?? '–'} | ${e.notes} |`)
  const count = (s: State) => ledger.filter((e) => e.state === s).length
  return [
    `${ledger.length} upstream operations: ${count('implemented')} implemented, ${count('simulated')} simulated, ${count('not served')} not served.`,
    '',
    '| api | operation | state | served by | differences from production |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}
