// Due transitions are rows in SQLite: they survive a restart and run when their time comes.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build, meeting, tmpDb } from './helpers.js'


t.test('restart: an upload in progress on a frozen clock completes after a restart', async (t) => {
  const dbPath = tmpDb(t)
  let s = await build(t, { dbPath })
  await s.call('POST', '/_mock/clock', { frozen: true, now: '2030-01-01T00:00:00.000Z' })
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await s.call('POST', '/_mock/clock/advance', { seconds: 2 })
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  await s.app.close()

  s = await build(t, { dbPath })
  t.same((await s.call('GET', '/_mock/clock')).json.data, { now: '2030-01-01T00:00:02.000Z', frozen: true }, 'the clock survives')
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADING')
  const adv = await s.call('POST', '/_mock/clock/advance', { seconds: 5 })
  t.same(adv.json.data.events.map((e: any) => e.payload.recording.status), ['UPLOADED'])
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADED')
})

t.test('restart: on a running clock, transitions that fell due while down run at start', async (t) => {
  const dbPath = tmpDb(t)
  let s = await build(t, { dbPath })
  await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: 0.05, recording_upload_delay_s: 0.2 })
  const m = await meeting(s)
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  await sleep(150)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'RECORDING', 'the scheduler fires on wall time')
  await s.call('PUT', `/v2/recordings/${r.id}`, { action: 'stop' })
  await s.app.close()
  await sleep(300)
  s = await build(t, { dbPath })
  await s.app.ready()
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`)).json.data.status, 'UPLOADED')
})
