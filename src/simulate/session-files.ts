// Session exports, generated from what happened in the session: the chat (CSV), the
// transcript (CSV, JSON, SRT or VTT) and the summary (Markdown). Chat and speech are not
// simulated, so each participant "says" one line when they join.
import type { Store } from '../store/index.js'
import type { Session, SessionPeer } from '../store/sessions.js'

export const sessionFileKinds = ['chat', 'transcript', 'summary'] as const
export type SessionFileKind = typeof sessionFileKinds[number]
export const isKind = (kind: string): kind is SessionFileKind => (sessionFileKinds as readonly string[]).includes(kind)

const transcriptTypes: Record<string, string> = { csv: 'text/csv', json: 'application/json', srt: 'application/x-subrip', vtt: 'text/vtt' }
const csvCell = (v: unknown) => {
  const s = String(v ?? '')
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const line = (p: SessionPeer) => `Hello from ${p.display_name ?? p.custom_participant_id}`
const offset = (session: Session, at: string) => Math.max(0, Date.parse(at) - Date.parse(session.started_at))
const stamp = (ms: number, sep: string) => {
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor(ms / 60_000) % 60
  const s = Math.floor(ms / 1000) % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${sep}${String(ms % 1000).padStart(3, '0')}`
}

/** The file, or undefined when the session has no such file. */
export function sessionFile (store: Store, orgId: string, session: Session, kind: SessionFileKind, ext: string): { body: string, type: string } | undefined {
  const peers = store.sessions.peers(orgId, session.id)
  if (kind === 'chat' && ext === 'csv') {
    const rows = peers.map((p, i) => [`${session.id.slice(0, 24)}${String(i).padStart(12, '0')}`, p.participant_id, session.id, session.associated_id,
      p.display_name ?? '', 'false', 'false', 'text', line(p), p.joined_at].map(csvCell).join(','))
    return { type: 'text/csv', body: ['id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt', ...rows].join('\n') + '\n' }
  }
  if (kind === 'transcript' && transcriptTypes[ext]) {
    const cues = peers.map((p) => ({ peer: p, start: offset(session, p.joined_at), end: offset(session, p.joined_at) + 2000, text: line(p) }))
    const body = ext === 'csv'
      ? ['startTime,endTime,peerId,userId,customParticipantId,displayName,text', ...cues.map((c) =>
          [c.start / 1000, c.end / 1000, c.peer.id, c.peer.participant_id, c.peer.custom_participant_id, c.peer.display_name ?? '', c.text].map(csvCell).join(','))].join('\n') + '\n'
      : ext === 'json'
        ? JSON.stringify(cues.map((c) => ({ startTime: c.start / 1000, endTime: c.end / 1000, peerId: c.peer.id, userId: c.peer.participant_id, customParticipantId: c.peer.custom_participant_id, displayName: c.peer.display_name, text: c.text })))
        : ext === 'srt'
          ? cues.map((c, i) => `${i + 1}\n${stamp(c.start, ',')} --> ${stamp(c.end, ',')}\n${c.peer.display_name ?? ''}: ${c.text}\n`).join('\n')
          : 'WEBVTT\n\n' + cues.map((c) => `${stamp(c.start, '.')} --> ${stamp(c.end, '.')}\n<v ${c.peer.display_name ?? ''}>${c.text}\n`).join('\n')
    return { type: transcriptTypes[ext], body }
  }
  if (kind === 'summary' && ext === 'md') {
    const meeting = store.meetings.get(orgId, session.associated_id)
    const names = [...new Set(peers.map((p) => p.display_name ?? p.custom_participant_id))]
    return {
      type: 'text/markdown',
      body: `# ${meeting?.title ?? 'Meeting'}\n\n- Started: ${session.started_at}\n- Ended: ${session.ended_at ?? 'still live'}\n` +
        `- Participants: ${names.join(', ') || 'none'}\n- Participant-minutes: ${session.minutes_consumed.toFixed(2)}\n\n` +
        `## Summary\n\n${names.map((n) => `- ${n} said hello.`).join('\n') || '- Nobody spoke.'}\n`,
    }
  }
  return undefined
}
