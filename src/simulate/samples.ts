// Sample payloads for POST /_mock/webhooks/{id}/test, in the shapes the real events carry.
import type { EventType, WebhookFormat } from './events.js'
import { webhookTime } from './events.js'

export function samplePayload (organizedBy: { id: string, name: string }, type: EventType, at: string, id: () => string, format: WebhookFormat): Record<string, unknown> {
  const orgId = organizedBy.id
  const meeting = {
    id: id(), sessionId: id(), title: 'Sample meeting', roomName: 'sample-meeting', status: 'LIVE',
    createdAt: at, startedAt: at, organizedBy,
  }
  const ended = { ...meeting, endedAt: at }
  const participant = { peerId: id(), userDisplayName: 'Sample participant', customParticipantId: 'sample', clientSpecificId: 'sample', joinedAt: at }
  const url = (kind: string) => `https://example.invalid/${kind}/${meeting.sessionId}`
  const recordingId = id()
  const samples: Record<EventType, Record<string, unknown>> = {
    'meeting.started': { meeting },
    'meeting.ended': { meeting: ended, reason: 'ALL_PARTICIPANTS_LEFT' },
    'meeting.participantJoined': { meeting, participant },
    'meeting.participantLeft': { meeting: ended, participant: { ...participant, leftAt: at } },
    'meeting.chatSynced': { sessionId: meeting.sessionId, meetingId: meeting.id, chatDownloadUrl: url('chat'), chatDownloadUrlExpiry: at, organizedBy: meeting.organizedBy },
    'meeting.transcript': { meeting: ended, transcriptDownloadUrl: url('transcript'), transcriptDownloadUrlExpiry: at },
    'meeting.summary': { meeting: ended, summaryDownloadUrl: url('summary'), summaryDownloadUrlExpiry: at },
    'recording.statusUpdate': {
      recording: {
        id: recordingId, recordingId, meetingId: meeting.id, organizationId: orgId, roomUUID: meeting.sessionId,
        status: 'RECORDING', invokedTime: webhookTime(at, format), startedTime: webhookTime(at, format), outputFileName: `${meeting.id}.mp4`, recordingDuration: 0,
      },
      meeting,
    },
    'livestreaming.statusUpdate': { streamId: id(), status: 'LIVE' },
  }
  return { event: type, ...samples[type] }
}
