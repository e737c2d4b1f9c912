// Sample payloads for POST /_mock/webhooks/{id}/test, in the shapes the real events carry.
import type { EventType, WebhookFormat } from './events.js'
import { webhookTime } from './events.js'

export function samplePayload (organizedBy: { id: string, name: string }, type: EventType, at: string, id: () => string, format: WebhookFormat): Record<string, unknown> {
  const orgId = organizedBy.id
  const meetingId = id()
  const meeting = {
    id: meetingId, sessionId: id(), title: 'Sample meeting', roomName: meetingId, status: 'LIVE',
    createdAt: at, startedAt: at,
    // A live meeting's endedAt: null for a Dyte org, left out for a RealtimeKit app (as the real events).
    ...(format === 'dyte' ? { endedAt: null } : {}), organizedBy,
  }
  const ended = { ...meeting, endedAt: at }
  const participant = { peerId: id(), userDisplayName: 'Sample participant', customParticipantId: 'sample', clientSpecificId: 'sample', joinedAt: at }
  const url = (kind: string) => `https://example.invalid/${kind}/${meeting.sessionId}`
  const recordingId = id()
  const samples: Record<EventType, Record<string, unknown>> = {
    'meeting.started': { meeting },
    'meeting.ended': { meeting: ended, reason: 'ALL_PARTICIPANTS_LEFT' },
    'meeting.participantJoined': { meeting, participant },
    'meeting.participantLeft': { meeting, participant: { ...participant, leftAt: at } },
    'meeting.chatSynced': {
      sessionId: meeting.sessionId, meetingId: meeting.id, chatDownloadUrl: url('chat'), chatDownloadUrlExpiry: at, organizedBy: meeting.organizedBy,
      title: meeting.title, createdAt: at, startedAt: at, endedAt: at,
    },
    'meeting.transcript': { meeting: ended, transcriptDownloadUrl: url('transcript'), transcriptDownloadUrlExpiry: at },
    'meeting.summary': { meeting: ended, summaryDownloadUrl: url('summary'), summaryDownloadUrlExpiry: at },
    'recording.statusUpdate': {
      recording: {
        id: recordingId, recordingId, meetingId: meeting.id, organizationId: orgId, roomUUID: meeting.sessionId,
        status: 'RECORDING', invokedTime: webhookTime(at, format), startedTime: webhookTime(at, format), outputFileName: `${meeting.id}.mp4`, recordingDuration: 0,
      },
      meeting,
    },
    'livestreaming.statusUpdate': {
      streamId: id(), status: 'LIVE', manualIngest: false, playbackUrl: 'https://example.invalid/live/sample.m3u8',
      ingestServer: 'rtmps://example.invalid:443/app/', streamKey: 'sample-stream-key',
      meeting: { id: meeting.id, title: meeting.title, createdAt: at, roomName: meeting.id, status: 'LIVE', organizedBy },
    },
  }
  return { event: type, ...samples[type] }
}
