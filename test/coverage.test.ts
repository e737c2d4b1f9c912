// API coverage of the user's suite (/_mock/coverage, --coverage-out): operations and statuses
// reached beside those the specs document, webhook events delivered, lifecycle states reached;
// per org, kept across a restart, wiped by a reset and not by a restore.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'
import { addParticipant, advance, build, join, meeting, ORG, tmpDb, type TestServer } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'
const coverage = async (s: TestServer, query = '', org?: string) => {
  const res = await s.call('GET', `/_mock/coverage${query}`, undefined, org)
  if (res.status !== 200) throw new Error(`getCoverage: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data
}
const op = (report: any, id: string) => report.operations.find((o: any) => o.operation_id === id)

t.test('coverage: calls by operation and status, and the documented statuses no call produced', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  await s.call('GET', `/v2/meetings/${m.id}`)
  await s.call('GET', `/v2/meetings/${m.id}`)
  await s.call('GET', '/v2/meetings/00000000-0000-4000-8000-000000000000')
  await s.call('GET', '/v2/meetings/not-a-uuid')
  await s.call('GET', '/_mock/clock') // the control plane is not the API under test
  const report = await coverage(s)
  t.match(report, { scope: 'org', org_id: ORG })
  t.match(op(report, 'getMeeting'), { api: 'dyte', method: 'GET', path: '/v2/meetings/{meetingId}', calls: 4, statuses: { 200: 2, 404: 1, 400: 1 } })
  t.ok(op(report, 'getMeeting').documented.includes('401'), 'the spec documents a 401')
  t.ok(op(report, 'getMeeting').never_seen.includes('401'), 'which no call produced')
  t.notOk(op(report, 'getMeeting').never_seen.includes('200'))
  t.match(op(report, 'createMeeting'), { calls: 1, statuses: { 201: 1 } })
  t.match(op(report, 'listMeetings'), { calls: 0, statuses: {} })
  t.notOk(report.operations.some((o: any) => o.operation_id === 'getClock'), 'control-plane operations are not listed')
  const dyte = report.operations.filter((o: any) => o.api === 'dyte')
  t.same(report.totals.dyte.operations, { covered: 2, total: dyte.length, percent: Math.round((2 / dyte.length) * 1000) / 10 })
  t.ok(report.operations.some((o: any) => o.api === 'realtimekit' && o.operation_id === 'get_meeting'), 'RealtimeKit operations are listed by their own ids')

  const rtk = await s.app.inject({ method: 'GET', url: `/client/v4/accounts/acc/realtime/kit/${ORG}/meetings/${m.id}`, headers: { authorization: 'Bearer token' } })
  t.equal(rtk.statusCode, 200)
  t.match(op(await coverage(s), 'get_meeting'), { api: 'realtimekit', calls: 1, statuses: { 200: 1 } }, 'a RealtimeKit call counts under the app (the org) and its own operation')
  t.match(op(await coverage(s), 'getMeeting'), { calls: 4 }, 'not under the Dyte operation that answers it')
})

t.test('coverage: webhook events delivered by type, subscribed types never delivered, lifecycle states reached', async (t) => {
  const s = await build(t, { frozenAt: T0, deliver: 'capture' })
  await s.call('POST', '/v2/webhooks', { name: 'hooks', url: 'http://127.0.0.1:9/hooks', events: ['meeting.started', 'recording.statusUpdate', 'meeting.summary'] })
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  await join(s, m.id, p.id)
  await s.call('POST', '/v2/recordings', { meeting_id: m.id })
  await advance(s, 5)
  await s.settled()
  const report = await coverage(s)
  t.match(report.webhooks.events.find((w: any) => w.type === 'meeting.started'), { delivered: 1, subscribed: true })
  t.match(report.webhooks.events.find((w: any) => w.type === 'recording.statusUpdate'), { delivered: 2, subscribed: true })
  t.match(report.webhooks.events.find((w: any) => w.type === 'meeting.ended'), { delivered: 0, subscribed: false })
  t.same(report.webhooks.subscribed_never_delivered, ['meeting.summary'])
  t.same(report.totals.webhook_events, { covered: 2, total: 9, percent: 22.2 })
  t.same(report.states.session, { reached: { LIVE: 1 }, never_reached: ['ENDED'] })
  t.same(report.states.recording.reached, { INVOKED: 1, RECORDING: 1 })
  t.same(report.states.recording.never_reached, ['PAUSED', 'UPLOADING', 'UPLOADED', 'ERRORED'], 'states from the spec\'s enum, in its order')
  t.same(report.states.livestream.reached, {})
  t.equal(report.totals.lifecycle_states.total, 2 + 6 + 7)
})

t.test('coverage: per org, all orgs together, wiped by a reset, kept by a restore', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await meeting(s)
  await s.call('POST', '/_mock/snapshots', { name: 'one' })
  await meeting(s)
  await meeting(s, undefined, 'org-b')
  t.match(op(await coverage(s), 'createMeeting'), { calls: 2 })
  t.match(op(await coverage(s, '', 'org-b'), 'createMeeting'), { calls: 1 })
  const all = await coverage(s, '?scope=all')
  t.match(all, { scope: 'all', org_id: null })
  t.match(op(all, 'createMeeting'), { calls: 3 })
  await s.call('POST', '/_mock/snapshots/one/restore')
  t.match(op(await coverage(s), 'createMeeting'), { calls: 2 }, 'a restore does not roll the record of the suite back')
  await s.call('POST', '/_mock/reset')
  t.match(op(await coverage(s), 'createMeeting'), { calls: 0 }, 'a reset wipes the org\'s share')
  t.match(op(await coverage(s, '', 'org-b'), 'createMeeting'), { calls: 1 }, 'and only its share')
})

t.test('coverage: ?format=md is a Markdown report', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await meeting(s)
  const res = await s.app.inject({ method: 'GET', url: '/_mock/coverage?format=md', headers: (await import('./helpers.js')).auth() })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/markdown/)
  t.match(res.body, /^# Dyte API coverage \(org org-a\)\n/)
  t.match(res.body, /\| Dyte operations called \| 1 of \d+ \([\d.]+%\) \|/)
  t.match(res.body, /\| dyte \| `POST \/v2\/meetings` \(createMeeting\) \| 1 \| 201 ×1 \| 400, 401 \|/)
  t.match(res.body, /- dyte: `GET \/v2\/meetings` \(listMeetings\)/)
  t.match(res.body, /\| recording \| — \| INVOKED, RECORDING, PAUSED, UPLOADING, UPLOADED, ERRORED \|/)
  const bad = await s.call('GET', '/_mock/coverage?format=pdf')
  t.equal(bad.status, 400)
})

t.test('coverage: kept across a restart; --coverage-out writes the report of all orgs when the server stops', async (t) => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'dyte-mock-coverage-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const dbPath = tmpDb(t)
  const first = await build(t, { dbPath, frozenAt: T0, coverageOut: joinPath(dir, 'coverage.json') })
  await meeting(first)
  await meeting(first, undefined, 'org-b')
  await first.app.close()
  const written = JSON.parse(readFileSync(joinPath(dir, 'coverage.json'), 'utf8'))
  t.match(written, { scope: 'all', org_id: null })
  t.match(op(written, 'createMeeting'), { calls: 2, statuses: { 201: 2 } })

  const second = await build(t, { dbPath, coverageOut: joinPath(dir, 'coverage.md') })
  t.match(op(await coverage(second), 'createMeeting'), { calls: 1 }, 'the counts survived the restart')
  await second.app.close()
  t.match(readFileSync(joinPath(dir, 'coverage.md'), 'utf8'), /^# Dyte API coverage \(all orgs\)\n[^]*\(createMeeting\) \| 2 \| 201 ×2/)
})

t.test('coverage: counts the database refuses (a full disk) stay pending, are reported once, and are written once there is space', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  await s.call('GET', `/v2/meetings/${m.id}`)
  const repo = s.app.dyte.store.coverage
  const add = repo.add
  let refusals = 0
  repo.add = () => {
    refusals++
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
  }
  const logged: unknown[] = []
  const error = s.app.log.error
  s.app.log.error = ((obj: unknown) => { logged.push(obj) }) as typeof error
  t.teardown(() => { s.app.log.error = error })
  s.app.dyte.coverage.flush() // as the timer and the close do: it throws nothing
  await s.call('GET', `/v2/meetings/${m.id}`)
  s.app.dyte.coverage.flush()
  t.equal(refusals, 2)
  t.equal(logged.length, 1, 'the first refusal of the run is reported')
  t.match(logged[0], { err: { code: 'SQLITE_FULL' } })
  repo.add = add // space again
  t.match(op(await coverage(s), 'getMeeting'), { calls: 2, statuses: { 200: 2 } }, 'no count was lost')
})
