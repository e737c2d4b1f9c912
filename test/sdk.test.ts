// The official Cloudflare SDK (client.realtimeKit.*) against a running dyte-mock, over a real
// socket: a whole user story, asserting the SDK's typed results.
import t from 'tap'
import Cloudflare from 'cloudflare'
import { build, testKeys } from './helpers.js'
import { receiver, verifies } from './receiver.js'

t.test('cloudflare SDK: a user story through client.realtimeKit', async (t) => {
  const s = await build(t, { signingKeys: testKeys() })
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' })
  const client = new Cloudflare({ apiToken: 'test-token', baseURL: `${address}/client/v4`, maxRetries: 0 })
  const account_id = 'acc-1'
  const rk = client.realtimeKit

  // an app, with the built-in presets and one of our own
  const app = await rk.apps.post({ account_id, name: 'video-app' })
  const app_id = app.data!.app!.id!
  t.match(app_id, /^[0-9a-f-]{36}$/)
  const apps = await rk.apps.get({ account_id })
  t.same(apps.data!.map((a) => a.name), ['video-app'])
  const presets = await rk.presets.get(app_id, { account_id })
  t.same(presets.data.map((p) => p.name), ['group_call_host', 'group_call_participant', 'webinar_presenter', 'webinar_viewer'])
  const host = await rk.presets.getPresetByID(presets.data[0].id!, { account_id, app_id })
  t.equal(host.data!.name, 'group_call_host')

  // a meeting and two participants with their tokens
  const meeting = await rk.meetings.create(app_id, { account_id, title: 'Weekly sync' })
  const meetingId = meeting.data!.id
  t.equal(meeting.data!.status, 'ACTIVE')
  const alice = await rk.meetings.addParticipant(meetingId, { account_id, app_id, custom_participant_id: 'alice', preset_name: 'group_call_host', name: 'Alice' })
  const bob = await rk.meetings.addParticipant(meetingId, { account_id, app_id, custom_participant_id: 'bob', preset_name: 'group_call_participant', name: 'Bob' })
  t.match(alice.data!.token, /^eyJ/)
  const listed = await rk.meetings.getMeetingParticipants(meetingId, { account_id, app_id })
  t.same(listed.data!.map((p) => p.custom_participant_id), ['alice', 'bob'])
  const refreshed = await rk.meetings.refreshParticipantToken(bob.data!.id, { account_id, app_id, meeting_id: meetingId })
  t.match(refreshed.data!.token, /^eyJ/)

  // a webhook on a real receiver: RealtimeKit apps get the rtk-* headers too
  const r = await receiver()
  t.teardown(r.close)
  const hook = await rk.webhooks.createWebhook(app_id, { account_id, name: 'all', url: r.url, events: ['meeting.started', 'meeting.ended', 'recording.statusUpdate'] })
  t.equal(hook.data!.enabled, true)
  t.same((await rk.webhooks.getWebhooks(app_id, { account_id })).data!.map((w) => w.id), [hook.data!.id])

  // people join as the front-end SDK would (control plane, with the app id as the org)
  const basic = { authorization: 'Basic ' + Buffer.from(`${app_id}:key`).toString('base64'), 'content-type': 'application/json' }
  const mock = async (path: string, body: unknown = {}) => (await fetch(`${address}/_mock${path}`, { method: 'POST', headers: basic, body: JSON.stringify(body) })).json() as Promise<any>
  await mock('/clock', { frozen: true })
  const joined = await mock('/join', { token: alice.data!.token })
  t.equal(joined.success, true, JSON.stringify(joined))
  const ja = joined.data
  await mock('/join', { token: refreshed.data!.token })
  const active = await rk.activeSession.getActiveSession(meetingId, { account_id, app_id })
  t.match(active.data, { id: ja.session_id, status: 'LIVE', live_participants: 2, associated_id: meetingId })
  const kicked = await rk.activeSession.kickParticipants(meetingId, { account_id, app_id, custom_participant_ids: ['bob'] })
  t.same(kicked.data!.participants!.map((p) => p.id), [bob.data!.id])

  // record, stop, and watch the upload finish on the frozen clock
  const rec = await rk.recordings.startRecordings(app_id, { account_id, meeting_id: meetingId })
  t.equal(rec.data!.status, 'INVOKED')
  await mock('/clock/advance', { seconds: 2 })
  t.equal((await rk.recordings.getActiveRecordings(meetingId, { account_id, app_id })).data.status, 'RECORDING')
  const stopped = await rk.recordings.pauseResumeStopRecording(rec.data!.id, { account_id, app_id, action: 'stop' })
  t.equal(stopped.data!.status, 'UPLOADING')
  await mock('/clock/advance', { seconds: 5 })
  const uploaded = await rk.recordings.getOneRecording(rec.data!.id, { account_id, app_id })
  t.equal(uploaded.data!.status, 'UPLOADED')
  t.match(uploaded.data!.download_url, /^http:\/\/127\.0\.0\.1:\d+\/_mock\/files\//)
  t.equal((await fetch(uploaded.data!.download_url!)).status, 200)
  t.equal((await rk.recordings.getRecordings(app_id, { account_id, meeting_id: meetingId })).data!.length, 1)

  // a second recording conflicts: 409, and the SDK is told not to retry it
  // livestream the meeting
  const live = await rk.livestreams.startLivestreamingAMeeting(meetingId, { account_id, app_id, name: 'stream' })
  t.equal(live.data!.status, 'INVOKED')
  await mock('/clock/advance', { seconds: 3 })
  t.equal((await rk.livestreams.getMeetingActiveLivestreams(meetingId, { account_id, app_id })).data!.status, 'LIVE')
  const dup = await rk.livestreams.startLivestreamingAMeeting(meetingId, { account_id, app_id }).catch((e: unknown) => e)
  t.ok(dup instanceof Cloudflare.ConflictError, 'a second livestream is a 409 ConflictError')
  t.equal((dup as InstanceType<typeof Cloudflare.ConflictError>).headers?.get('x-should-retry'), 'false')
  await rk.livestreams.stopLivestreamingAMeeting(meetingId, { account_id, app_id })
  // The SDK types getAllLivestreams' data as one livestream (Cloudflare's spec); the API answers a
  // list with paging, as Dyte's example shows. The simulator's STOPPING is shown as LIVE.
  const stopping = await rk.livestreams.getAllLivestreams(app_id, { account_id })
  t.same((stopping.data as unknown as { id: string, status: string }[]).map((l) => [l.id, l.status]), [[live.data!.id, 'LIVE']])
  await mock('/clock/advance', { seconds: 2 })
  const idle = await rk.livestreams.getAllLivestreams(app_id, { account_id, status: 'IDLE' })
  t.same((idle.data as unknown as { status: string }[]).map((l) => l.status), ['IDLE'])

  // everyone leaves: the session ends and is readable through the SDK
  await rk.activeSession.kickAllParticipants(meetingId, { account_id, app_id })
  const sessions = await rk.sessions.getSessions(app_id, { account_id })
  const session = sessions.data!.sessions![0]
  t.match(session, { id: ja.session_id, status: 'ENDED', max_concurrent_participants: 2, associated_id: meetingId })
  const details = await rk.sessions.getSessionDetails(session.id, { account_id, app_id })
  t.equal(details.data!.status, 'ENDED')
  const people = await rk.sessions.getSessionParticipants(session.id, { account_id, app_id })
  t.same(people.data!.participants!.map((p) => p.custom_participant_id).sort(), ['alice', 'bob'])

  // a peer's report carries RealtimeKit's peer_report (a fixed sample) and, when asked, its peer events
  const report = await rk.sessions.getParticipantDataFromPeerID(ja.peer_id, { account_id, app_id, include_peer_events: true })
  const pr = report.data!.participant!
  t.match(pr, { id: ja.peer_id, session_id: ja.session_id, custom_participant_id: 'alice', role: 'group_call_host' })
  t.same(pr.peer_events!.map((e) => e.event_name), ['PEER_CREATED', 'PEER_JOINING', 'PEER_LEAVING'])
  t.match(pr.peer_report!.metadata, { device_info: { os: 'Linux' }, browser_metadata: { browser: 'Chrome' }, ip_information: { ipv4: '127.0.0.1' }, sdk_name: 'dyte-mock' })
  t.same(pr.peer_report!.metadata!.events!.map((e) => e.name), ['PEER_JOINED', 'PEER_LEFT'])
  t.ok(pr.peer_report!.quality!.audio_producer![0].bytes_sent! > 0, 'quality samples scale with the time in the call')
  t.equal(pr.peer_report!.quality!.video_producer![0].frame_height, 720)
  const narrowed = await rk.sessions.getParticipantDataFromPeerID(ja.peer_id, { account_id, app_id, filters: 'ip_information' })
  t.same(Object.keys(narrowed.data!.participant!.peer_report!), ['metadata'])
  t.same(Object.keys(narrowed.data!.participant!.peer_report!.metadata!), ['ip_information'])
  t.notOk(narrowed.data!.participant!.peer_events, 'no peer events unless asked')

  // webhooks arrived signed, with both header sets
  const got = await r.until(6)
  const key = (await (await fetch(`${address}/.well-known/webhooks.json`)).json() as any).data.publicKey
  for (const x of got) {
    t.ok(verifies(key, x))
    t.equal(x.headers['rtk-uuid'], x.headers['dyte-uuid'])
    t.equal(x.headers['rtk-signature'], x.headers['dyte-signature'])
    t.equal(x.headers['rtk-webhook-id'], hook.data!.id)
  }

  // not found and bad input come back as the SDK's typed errors
  const missing = await rk.meetings.getMeetingByID('00000000-0000-4000-8000-000000000000', { account_id, app_id }).catch((e: unknown) => e)
  t.ok(missing instanceof Cloudflare.NotFoundError)
  const bad = await rk.meetings.addParticipant(meetingId, { account_id, app_id, custom_participant_id: 'x', preset_name: 'no-such-preset' }).catch((e: unknown) => e)
  t.ok(bad instanceof Cloudflare.BadRequestError)
  const wrongKey = new Cloudflare({ apiToken: 'x', baseURL: `${address}/client/v4`, maxRetries: 0 })
  t.ok(wrongKey instanceof Cloudflare)
  await rk.webhooks.deleteWebhook(hook.data!.id, { account_id, app_id })
})

t.test('cloudflare SDK: the same state is visible through /v2 with Basic auth, and credentials are checked with --orgs', async (t) => {
  const s = await build(t, { orgs: 'app-1:secret' })
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' })
  const good = new Cloudflare({ apiToken: 'secret', baseURL: `${address}/client/v4`, maxRetries: 0 })
  const m = await good.realtimeKit.meetings.create('app-1', { account_id: 'a', title: 'shared' })
  const v2 = await s.call('GET', `/v2/meetings/${m.data!.id}`, undefined, 'app-1')
  t.equal(v2.status, 401, 'Basic with the wrong key is refused')
  const basic = await s.app.inject({ url: `/v2/meetings/${m.data!.id}`, headers: { authorization: 'Basic ' + Buffer.from('app-1:secret').toString('base64') } })
  t.equal(basic.json().data.title, 'shared', 'the app id is the org: the same meeting under /v2')
  const wrong = new Cloudflare({ apiToken: 'nope', baseURL: `${address}/client/v4`, maxRetries: 0 })
  const denied = await wrong.realtimeKit.meetings.get('app-1', { account_id: 'a' }).catch((e: unknown) => e)
  t.ok(denied instanceof Cloudflare.AuthenticationError)
  const keyAuth = new Cloudflare({ apiKey: 'secret', apiEmail: 'me@example.com', baseURL: `${address}/client/v4`, maxRetries: 0 })
  t.equal((await keyAuth.realtimeKit.meetings.get('app-1', { account_id: 'a' })).data!.length, 1, 'X-Auth-Key and X-Auth-Email work too')

  // an app made with the configured key is usable with it, listed for it, and closed to other keys
  const made = await good.realtimeKit.apps.post({ account_id: 'a', name: 'made-here' })
  const appId = made.data!.app!.id!
  const inApp = await good.realtimeKit.meetings.create(appId, { account_id: 'a', title: 'in the new app' })
  t.equal(inApp.data!.title, 'in the new app')
  t.same((await good.realtimeKit.apps.get({ account_id: 'a' })).data!.map((a) => a.id), [appId])
  const other = await wrong.realtimeKit.meetings.get(appId, { account_id: 'a' }).catch((e: unknown) => e)
  t.ok(other instanceof Cloudflare.AuthenticationError)
})

t.test('cloudflare SDK: a track recording starts with or without layers, and only successful calls leave a recording', async (t) => {
  const s = await build(t)
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' })
  // The SDK's default retries are on: a 5xx after a write would leave one recording per attempt.
  const rk = new Cloudflare({ apiToken: 'test-token', baseURL: `${address}/client/v4` }).realtimeKit
  const account_id = 'acc-1'
  const app_id = (await rk.apps.post({ account_id, name: 'tracks' })).data!.app!.id!
  const meetingId = (await rk.meetings.create(app_id, { account_id, title: 'Podcast' })).data!.id

  const plain = await rk.recordings.startTrackRecording(app_id, { account_id, meeting_id: meetingId })
  t.equal(plain.success, true)
  t.match(plain.data!.recording, { id: /^[0-9a-f-]{36}$/, status: 'INVOKED', output_file_name: new RegExp(`^${meetingId}_\\d+\\.mp4$`), download_url: null })
  const layered = await rk.recordings.startTrackRecording(app_id, { account_id, meeting_id: meetingId, layers: { default: { file_name_prefix: 'speaker', media_kind: 'audio' } } })
  t.match(layered.data!.recording, { status: 'INVOKED', output_file_name: /^speaker_/ })

  const missing = await rk.recordings.startTrackRecording(app_id, { account_id, meeting_id: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e)
  t.ok(missing instanceof Cloudflare.NotFoundError)
  const badUsers = await rk.recordings.startTrackRecording(app_id, { account_id, meeting_id: meetingId, user_ids: [] }).catch((e: unknown) => e)
  t.ok(badUsers instanceof Cloudflare.BadRequestError)

  const all = await rk.recordings.getRecordings(app_id, { account_id })
  t.same(all.data!.map((r) => r.id).sort(), [plain.data!.recording.id, layered.data!.recording.id].sort(), 'one recording per successful call, none for the failed ones')
})
