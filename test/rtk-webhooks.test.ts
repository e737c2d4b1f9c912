// RealtimeKit apps get Cloudflare's webhooks: ISO timestamps and a string fileSize in
// recording.statusUpdate, no endedAt while a meeting is live, and no retry for an answer below
// 500. A Dyte org keeps Dyte's payloads (Dyte's timestamps, a numeric fileSize, endedAt null) and
// Dyte's retries of any non-2xx. An org is an app once it was created through …/apps or reached
// through the RealtimeKit paths, and stays one across restarts.
import t, { type Test } from 'tap'
import { build, tmpDb, type BuildOptions, type TestServer } from './helpers.js'
import { receiver } from './receiver.js'

const T0 = '2030-01-01T00:00:00.000Z'
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const DYTE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/
const EVENTS = ['meeting.started', 'meeting.participantJoined', 'recording.statusUpdate']

/** Calls a RealtimeKit path of the app with a Bearer token. */
const rtk = async (s: TestServer, app: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
  const res = await s.app.inject({
    method, url: `/accounts/acc/realtime/kit/${app}${path}`,
    headers: { authorization: 'Bearer token', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.statusCode, json: res.json() }
}

/** A server, a receiver answering `script`, and one org of each kind with a webhook on it: `org-a` (Dyte) and `app-1` (RealtimeKit, never created through …/apps). */
async function setup (t: Test, script: Array<number | 'hang'> = [], opts: BuildOptions = {}) {
  const s = await build(t, { frozenAt: T0, ...opts })
  const r = await receiver(script)
  t.teardown(r.close)
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'app-1')
  const dyteHook = (await s.call('POST', '/v2/webhooks', { name: 'dyte', url: r.url, events: EVENTS })).json.data
  const appHook = (await rtk(s, 'app-1', 'POST', '/webhooks', { name: 'rtk', url: r.url, events: EVENTS })).json.data
  return { s, r, dyteHook, appHook }
}

/** A meeting with one participant in it and a recording that is stopped and uploaded, all through /v2 and the control plane of `org`. */
async function recordOnce (s: TestServer, org: string) {
  const m = (await s.call('POST', '/v2/meetings', { title: 'Weekly sync' }, org)).json.data
  const p = (await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', custom_participant_id: 'mary' }, org)).json.data
  await s.call('POST', `/_mock/meetings/${m.id}/participants/${p.id}/join`, undefined, org)
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id }, org)).json.data
  await s.call('POST', '/_mock/clock/advance', { seconds: 3 }, org)
  await s.call('PUT', `/v2/recordings/${rec.id}`, { action: 'stop' }, org)
  await s.call('POST', '/_mock/clock/advance', { seconds: 5 }, org)
  await s.settled()
  return m
}

const ofWebhook = (r: Awaited<ReturnType<typeof receiver>>, hookId: string) => r.received.filter((x) => x.headers['dyte-webhook-id'] === hookId).map((x) => x.json)

t.test('payloads: an app gets Cloudflare\'s fields, a Dyte org Dyte\'s', async (t) => {
  const { s, r, dyteHook, appHook } = await setup(t)
  await recordOnce(s, 'org-a')
  await recordOnce(s, 'app-1')

  const app = ofWebhook(r, appHook.id)
  const appStarted = app.find((e) => e.event === 'meeting.started')
  t.notOk('endedAt' in appStarted.meeting, 'no endedAt while the meeting is live, as Cloudflare\'s examples show')
  const appRecordings = app.filter((e) => e.event === 'recording.statusUpdate')
  t.same(appRecordings.map((e) => e.recording.status), ['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED'])
  const appUploaded = appRecordings[3].recording
  t.match(appUploaded, { startedTime: ISO, stoppedTime: ISO, downloadUrlExpiry: ISO, invokedTime: ISO, fileSize: /^\d+$/ })
  t.type(appUploaded.fileSize, 'string', 'fileSize is a string, as Cloudflare documents it')
  t.type(appRecordings[2].recording.fileSize, 'string', 'also at UPLOADING')
  t.notOk('endedAt' in appRecordings[1].meeting, 'the recording\'s live meeting has no endedAt')

  const dyte = ofWebhook(r, dyteHook.id)
  const dyteStarted = dyte.find((e) => e.event === 'meeting.started')
  t.equal(dyteStarted.meeting.endedAt, null, 'Dyte: endedAt null while live')
  const dyteRecordings = dyte.filter((e) => e.event === 'recording.statusUpdate')
  t.same(dyteRecordings.map((e) => e.recording.status), ['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED'])
  const dyteUploaded = dyteRecordings[3].recording
  t.match(dyteUploaded, { startedTime: DYTE_TIME, stoppedTime: DYTE_TIME, downloadUrlExpiry: DYTE_TIME, invokedTime: DYTE_TIME })
  t.type(dyteUploaded.fileSize, 'number', 'Dyte: fileSize is a number')
  t.equal(dyteUploaded.fileSize, Number(appUploaded.fileSize), 'the same size either way')

  // Both kinds keep the same keys otherwise.
  t.same(Object.keys(appUploaded).sort(), Object.keys(dyteUploaded).sort())
  // The app's deliveries carry RealtimeKit's headers too; the Dyte org's do not.
  t.ok(r.received.filter((x) => x.headers['dyte-webhook-id'] === appHook.id).every((x) => x.headers['rtk-uuid'] === x.headers['dyte-uuid']))
  t.ok(r.received.filter((x) => x.headers['dyte-webhook-id'] === dyteHook.id).every((x) => !('rtk-uuid' in x.headers)))
})

t.test('payloads: an app created through …/apps is an app too, also in a test event', async (t) => {
  const s = await build(t)
  const r = await receiver()
  t.teardown(r.close)
  const created = await s.app.inject({ method: 'POST', url: '/accounts/acc/realtime/kit/apps', headers: { authorization: 'Bearer token', 'content-type': 'application/json' }, payload: { name: 'video' } })
  const appId = created.json().data.app.id
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'rtk', url: r.url, events: EVENTS }, appId)).json.data
  t.equal((await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'recording.statusUpdate' }, appId)).status, 201)
  const [x] = await r.until(1)
  t.match(x.json.recording, { startedTime: ISO, invokedTime: ISO })
  t.equal(x.headers['rtk-webhook-id'], hook.id)
})

t.test('retries: an app\'s answer below 500 is not retried, a 5xx is; a Dyte org retries both', async (t) => {
  // One receiver per webhook, so each answers its own script.
  const s = await build(t, { frozenAt: T0 })
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'app-1')
  const hooks: Record<string, { r: Awaited<ReturnType<typeof receiver>>, id: string, org: string }> = {}
  for (const [name, org, script] of [['app4xx', 'app-1', [404]], ['app3xx', 'app-1', [302]], ['app5xx', 'app-1', [503]], ['dyte4xx', 'org-a', [404]], ['dyte5xx', 'org-a', [503]]] as const) {
    const r = await receiver([...script])
    t.teardown(r.close)
    const body = { name, url: r.url, events: ['meeting.started'] }
    const hook = org === 'app-1' ? (await rtk(s, org, 'POST', '/webhooks', body)).json.data : (await s.call('POST', '/v2/webhooks', body, org)).json.data
    hooks[name] = { r, id: hook.id, org }
  }
  for (const org of ['app-1', 'org-a']) {
    const m = (await s.call('POST', '/v2/meetings', { title: 'retry' }, org)).json.data
    const p = (await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', custom_participant_id: 'a' }, org)).json.data
    await s.call('POST', `/_mock/meetings/${m.id}/participants/${p.id}/join`, undefined, org)
  }
  await s.settled()
  const delivery = async (name: string) => {
    const { id, org } = hooks[name]
    return (await s.call('GET', `/_mock/webhook-deliveries?webhook_id=${id}`, undefined, org)).json.data[0]
  }
  t.match(await delivery('app4xx'), { status: 'failed', next_attempt_at: null, attempts: [{ n: 1, status_code: 404 }] }, 'an app\'s 404 is given up at once')
  t.equal((await delivery('app4xx')).attempts.length, 1)
  t.match(await delivery('app3xx'), { status: 'failed', attempts: [{ n: 1, status_code: 302 }] }, 'so is a redirect')
  t.match(await delivery('app5xx'), { status: 'pending', next_attempt_at: '2030-01-01T00:00:05.000Z', attempts: [{ status_code: 503 }] }, 'an app\'s 503 is retried')
  t.match(await delivery('dyte4xx'), { status: 'pending', next_attempt_at: '2030-01-01T00:00:05.000Z', attempts: [{ status_code: 404 }] }, 'a Dyte org\'s 404 is retried')
  t.match(await delivery('dyte5xx'), { status: 'pending', attempts: [{ status_code: 503 }] })
  for (const org of ['app-1', 'org-a']) await s.call('POST', '/_mock/clock/advance', { seconds: 5 }, org)
  await s.settled()
  t.match(await delivery('app5xx'), { status: 'succeeded', attempts: [{ status_code: 503 }, { status_code: 200 }] })
  t.match(await delivery('dyte4xx'), { status: 'succeeded', attempts: [{ status_code: 404 }, { status_code: 200 }] })
  t.equal(hooks.app4xx.r.received.length, 1, 'the 404 was sent once')
  t.equal(hooks.app3xx.r.received.length, 1)
})

t.test('retries: an app retries a timeout', async (t) => {
  const { s, r, appHook } = await setup(t, ['hang'])
  await s.call('PATCH', '/_mock/settings', { webhook_timeout_ms: 100 }, 'app-1')
  const sent = (await s.call('POST', `/_mock/webhooks/${appHook.id}/test`, undefined, 'app-1')).json.data
  await r.until(1)
  await s.settled()
  const d = (await s.call('GET', `/_mock/webhook-deliveries?webhook_id=${appHook.id}`, undefined, 'app-1')).json.data[0]
  t.match(d, { id: sent.id, status: 'pending', attempts: [{ status_code: null, error: /no answer within 100 ms/ }] })
})

t.test('classification: an org reached through the RealtimeKit paths stays an app after a restart', async (t) => {
  const dbPath = tmpDb(t)
  const first = await build(t, { dbPath })
  await first.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'app-2')
  t.equal((await rtk(first, 'app-2', 'GET', '/meetings')).status, 200)
  await first.app.close()

  const s = await build(t, { dbPath })
  const r = await receiver([404])
  t.teardown(r.close)
  // Everything after the restart goes through /v2 and the control plane.
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'rtk', url: r.url, events: EVENTS }, 'app-2')).json.data
  await recordOnce(s, 'app-2')
  const first404 = (await s.call('GET', `/_mock/webhook-deliveries?webhook_id=${hook.id}&event=meeting.started`, undefined, 'app-2')).json.data[0]
  t.match(first404, { status: 'failed', attempts: [{ status_code: 404 }] }, 'not retried: still an app')
  const uploaded = ofWebhook(r, hook.id).find((e) => e.event === 'recording.statusUpdate' && e.recording.status === 'UPLOADED')
  t.type(uploaded.recording.fileSize, 'string')
  t.match(uploaded.recording.startedTime, ISO)
})

t.test('classification: a reset makes an org reached through RealtimeKit a Dyte org again, until it is reached so again', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const r = await receiver()
  t.teardown(r.close)
  const test = async () => {
    const hook = (await s.call('POST', '/v2/webhooks', { name: 'h', url: r.url, events: ['recording.statusUpdate'] })).json.data
    await s.call('POST', `/_mock/webhooks/${hook.id}/test`)
    await s.settled()
    return r.received[r.received.length - 1]
  }
  t.match((await test()).json.recording.startedTime, DYTE_TIME, 'reached through /v2 and /_mock only: a Dyte org')
  t.equal((await rtk(s, 'org-a', 'GET', '/meetings')).status, 200)
  const asApp = await test()
  t.match(asApp.json.recording.startedTime, ISO, 'an app once reached through RealtimeKit')
  t.ok('rtk-uuid' in asApp.headers)
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 })
  const again = await test()
  t.match(again.json.recording.startedTime, DYTE_TIME, 'a Dyte org after the reset')
  t.notOk('rtk-uuid' in again.headers)
})

/** Every key path of a JSON value ('meeting.organizedBy.name'), sorted. */
const paths = (v: unknown, at = ''): string[] => (v !== null && typeof v === 'object' && !Array.isArray(v)
  ? Object.entries(v).flatMap(([k, x]) => [at + k, ...paths(x, `${at}${k}.`)])
  : []).sort()

t.test('samples: a test event has the keys of the real event, for a Dyte org and for an app', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await s.call('POST', '/_mock/clock', { frozen: true, now: T0 }, 'app-1')
  t.equal((await rtk(s, 'app-1', 'GET', '/meetings')).status, 200, 'app-1 is an app')
  const r = await receiver()
  t.teardown(r.close)
  const ALL = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft', 'meeting.chatSynced',
    'recording.statusUpdate', 'livestreaming.statusUpdate', 'meeting.transcript', 'meeting.summary']
  for (const org of ['org-a', 'app-1']) {
    const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ALL }, org)).json.data
    const m = (await s.call('POST', '/v2/meetings', { title: 'all', persist_chat: true, summarize_on_end: true }, org)).json.data
    const p = (await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', custom_participant_id: 'a' }, org)).json.data
    const j = (await s.call('POST', `/_mock/meetings/${m.id}/participants/${p.id}/join`, undefined, org)).json.data
    await s.call('POST', '/v2/recordings', { meeting_id: m.id }, org)
    await s.call('POST', `/v2/meetings/${m.id}/livestreams`, undefined, org)
    await s.call('POST', '/_mock/clock/advance', { seconds: 3 }, org)
    await s.call('POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`, undefined, org)
    await s.call('POST', '/_mock/clock/advance', { seconds: 5 }, org)
    const real = (await s.call('GET', '/_mock/events?per_page=100', undefined, org)).json.data.map((e: any) => e.payload)
    for (const event of ALL) {
      t.equal((await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event }, org)).status, 201)
      await s.settled()
      const sample = r.received[r.received.length - 1].json
      const like = real.find((e: any) => e.event === event && (event !== 'recording.statusUpdate' || e.recording.status === 'RECORDING'))
      t.ok(like, `${org}: a real ${event}`)
      t.same(paths(sample), paths(like), `${org}: the sample ${event} has the real one's keys`)
    }
  }
})
