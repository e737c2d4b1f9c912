// Due transitions are rows in SQLite: they survive a restart and run when their time comes.
import t from 'tap'
import { advance, build, meeting, tmpDb } from './helpers.js'


t.test('restart: an upload in progress on a frozen clock completes after a restart', async (t) => {
  const dbPath = tmpDb(t)
  let s = await build(t, { dbPath, frozenAt: '2030-01-01T00:00:00.000Z' })
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await advance(s, 2)
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  await s.app.close()

  s = await build(t, { dbPath })
  t.same((await s.call('GET', '/_mock/clock')).json.data, { now: '2030-01-01T00:00:02.000Z', frozen: true }, 'the clock survives')
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADING')
  const adv = await advance(s, 5)
  t.same(adv.json.data.events.map((e: any) => e.payload.recording.status), ['UPLOADED'])
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADED')
})

t.test('restart: on a running clock, transitions that fell due while down run at start', async (t) => {
  const dbPath = tmpDb(t)
  let ahead = 0 // how far this test's wall clock is ahead of the real one
  const wall = () => Date.now() + ahead
  let s = await build(t, { dbPath, wall, deliver: 'capture' })
  await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: 0.05, recording_upload_delay_s: 0.2 })
  await s.call('POST', '/v2/webhooks', { name: 'w', url: 'https://example.com/w', events: ['recording.statusUpdate'] })
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  // INVOKED is sent at once; RECORDING once the scheduler has fired, 50 ms later.
  t.equal((await s.call('GET', '/_mock/webhook-deliveries/wait?event=recording.statusUpdate&count=2')).status, 200)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'RECORDING', 'the scheduler fires on wall time')
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  await s.app.close()
  ahead += 300 // the server stays down past the end of the upload (200 ms)
  s = await build(t, { dbPath, wall, deliver: 'capture' })
  await s.app.ready()
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADED')
})
