// Webhook payload fields checked against Dyte's webhook docs: a livestream ends OFFLINE, a live
// meeting's endedAt is null, UPLOADING carries fileSize, the livestream's meeting is LIVE.
import t from 'tap'
import { addParticipant, advance, build, join, meeting } from './helpers.js'

t.test('events: the fields Dyte documents, at each step', async (t) => {
  const s = await build(t, { frozenAt: '2030-01-01T00:00:00.000Z' })
  const m = await meeting(s, { title: 'fields' })
  await join(s, m.id, (await addParticipant(s, m.id)).id)
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`)
  await advance(s, 3)
  await s.call('PUT', `/v2/recordings/${rec.id}`, { action: 'stop' })
  await s.call('POST', `/v2/meetings/${m.id}/active-livestream/stop`)
  await advance(s, 5)
  const events = (await s.call('GET', '/_mock/events')).json.data.map((e: any) => e.payload)
  const started = events.find((e: any) => e.event === 'meeting.started')
  t.ok('endedAt' in started.meeting, 'endedAt is present while the meeting is live')
  t.equal(started.meeting.endedAt, null)
  const uploading = events.find((e: any) => e.event === 'recording.statusUpdate' && e.recording.status === 'UPLOADING')
  t.type(uploading.recording.fileSize, 'number', 'fileSize at UPLOADING')
  t.equal(uploading.meeting.endedAt, null)
  const streams = events.filter((e: any) => e.event === 'livestreaming.statusUpdate')
  t.same(streams.map((e: any) => e.status), ['LIVE', 'OFFLINE'], 'the end of a stream is OFFLINE in the webhook')
  t.equal(streams[0].meeting.status, 'LIVE', 'the livestream\'s meeting block says LIVE, as documented')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/livestreams`)).json.data[0].status, 'IDLE', 'REST keeps IDLE')
})
