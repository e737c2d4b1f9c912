// Records the events the real API would send by webhook, in the transaction of the state
// change that causes them, with the payloads Dyte documents (camelCase, unlike the REST API), or,
// for a RealtimeKit app, those Cloudflare documents: ISO timestamps and a string fileSize in
// recording.statusUpdate, and no endedAt while the meeting is live.
import type { Store } from '../store/index.js'
import type { Meeting } from '../store/meetings.js'
import type { Session, SessionPeer } from '../store/sessions.js'
import type { Recording } from '../store/recordings.js'
import type { Livestream } from '../store/livestreams.js'
import { iso } from './clock.js'
import type { NewId } from './ids.js'

export type EventType = 'meeting.started' | 'meeting.ended' | 'meeting.participantJoined' | 'meeting.participantLeft' |
  'recording.statusUpdate' | 'livestreaming.statusUpdate' | 'meeting.chatSynced' | 'meeting.transcript' | 'meeting.summary'

/** Whose webhooks an org gets: Dyte's, or Cloudflare RealtimeKit's. */
export type WebhookFormat = 'dyte' | 'cloudflare'

/**
 * An org is a RealtimeKit app, and gets Cloudflare's webhooks, when it was created through
 * POST …/realtime/kit/apps or has been reached through RealtimeKit's paths since it was first used
 * (or last reset). Both are stored, so the answer survives restarts; the control plane (/_mock)
 * and /v2 never change it.
 */
export const webhookFormat = (store: Store, orgId: string): WebhookFormat =>
  store.orgs.realtimeKit(orgId) || store.apps.isApp(orgId) ? 'cloudflare' : 'dyte'

/** Timestamps in recording payloads: Dyte's `2023-04-14 04:46:08.306000Z`, Cloudflare's ISO ones. */
export const webhookTime = (isoTime: string | null, format: WebhookFormat = 'dyte') =>
  (isoTime && format === 'dyte' ? isoTime.replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000Z') : isoTime)

type Stored = { store: Store }

/** What recording an event needs: where it is stored, its ids, and the outbox to wake. */
export interface EmitDeps { store: Store, newId: NewId, deliverer: { kick: () => void, presign?: (body: string) => void } }

/** Who organizes the org's meetings: its name (given through /v2/orgs or as a RealtimeKit app's name), else its id. */
export function organizer (ctx: Stored, orgId: string) {
  return { id: orgId, name: ctx.store.orgRecords.name(orgId) ?? ctx.store.apps.name(orgId) ?? orgId }
}

export function meetingBlock (ctx: Stored, orgId: string, meeting: Meeting, session: Session | undefined) {
  const endedAt = session?.ended_at ?? null
  return {
    id: meeting.id,
    sessionId: session?.id,
    title: meeting.title,
    roomName: meeting.id,
    status: 'LIVE',
    createdAt: meeting.created_at,
    startedAt: session?.started_at,
    // While the meeting is live: null (present), as Dyte's examples show; left out, as Cloudflare's show.
    endedAt: endedAt === null && webhookFormat(ctx.store, orgId) === 'cloudflare' ? undefined : endedAt,
    organizedBy: organizer(ctx, orgId),
  }
}

export function participantBlock (p: SessionPeer) {
  return {
    peerId: p.id,
    userDisplayName: p.display_name,
    customParticipantId: p.custom_participant_id,
    clientSpecificId: p.custom_participant_id,
    joinedAt: p.joined_at,
    leftAt: p.left_at ?? undefined,
  }
}

/**
 * `uploadSize`: the size the file will have, sent from UPLOADING on (Dyte's UPLOADING example has
 * fileSize). Dyte sends the size as a number, Cloudflare as a string.
 */
export function recordingBlock (orgId: string, r: Recording, downloadUrl: (path: string | null) => string | null, format: WebhookFormat, uploadSize?: number) {
  const size = r.file_size ?? (r.status === 'UPLOADING' ? uploadSize : undefined)
  const time = (t: string | null) => webhookTime(t, format)
  return {
    id: r.id,
    recordingId: r.id,
    meetingId: r.meeting_id,
    organizationId: orgId,
    roomUUID: r.session_id,
    status: r.status,
    invokedTime: time(r.invoked_time),
    startedTime: time(r.started_time),
    stoppedTime: time(r.stopped_time) ?? undefined,
    fileSize: size !== undefined && format === 'cloudflare' ? String(size) : size,
    outputFileName: r.output_file_name,
    downloadUrl: downloadUrl(r.download_url) ?? undefined,
    audioDownloadUrl: downloadUrl(r.audio_download_url) ?? undefined,
    downloadUrlExpiry: time(r.download_url_expiry) ?? undefined,
    recordingDuration: r.recording_duration,
    // A stop no organization or user asked for (everyone left, an internal error) has no caller in
    // the REST object, whose caller types are ORGANIZATION and USER; webhooks name it INTERNAL.
    stopReason: r.stop_reason ? `{'reason':'${r.stop_reason.reason}','caller':{'type':'${r.stop_reason.caller?.type ?? 'INTERNAL'}'}}` : undefined,
  }
}

export function livestreamPayload (ctx: Stored, orgId: string, l: Livestream, status: string, meeting: Meeting | undefined) {
  return {
    streamId: l.id,
    // The REST status IDLE (the stream ended) is OFFLINE in the webhook, as both vendors document it.
    status: status === 'IDLE' ? 'OFFLINE' : status,
    manualIngest: l.meeting_id === null,
    playbackUrl: l.playback_url,
    ingestServer: l.ingest_server,
    streamKey: l.stream_key,
    meeting: meeting && { id: meeting.id, title: meeting.title, createdAt: meeting.created_at, roomName: meeting.id, status: 'LIVE', organizedBy: organizer(ctx, orgId) },
  }
}

/**
 * Records an event and, in the same transaction, one outbox row per enabled webhook of the org
 * that subscribes to it. The body is serialised once: those bytes are stored, signed and sent.
 */
export function createEmitter (ctx: EmitDeps) {
  return (orgId: string, type: EventType, atMs: number, refs: { meeting_id?: string, session_id?: string }, payload: Record<string, unknown>) => {
    const body = JSON.stringify({ event: type, ...payload })
    const event = ctx.store.events.insert(orgId, {
      id: ctx.newId(orgId),
      type,
      meeting_id: refs.meeting_id ?? null,
      session_id: refs.session_id ?? null,
      at: iso(atMs),
      payload: JSON.parse(body),
    })
    for (const w of ctx.store.webhooks.list(orgId)) {
      if (!w.enabled || !w.events.includes(type)) continue
      ctx.deliverer.presign?.(body) // once per body: the webhooks share its signature
      enqueue(ctx, orgId, w, type, body, atMs, event.id, event.meeting_id)
    }
    return event
  }
}

export function enqueue (ctx: EmitDeps, orgId: string, w: { id: string, url: string }, type: string,
  body: string, atMs: number, eventId: string | null, meetingId: string | null) {
  const d = ctx.store.deliveries.insert({
    id: ctx.newId(orgId),
    org_id: orgId,
    webhook_id: w.id,
    event_id: eventId,
    event_type: type,
    meeting_id: meetingId,
    url: w.url,
    body,
    signature: null,
    status: 'pending',
    attempts: 0,
    next_attempt_at_ms: atMs,
    created_at: iso(atMs),
    updated_at: iso(atMs),
  })
  ctx.deliverer.kick()
  return d
}

export type Emit = ReturnType<typeof createEmitter>
