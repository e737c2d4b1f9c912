// Inputs at the edges of what the specs allow: each once answered 500.
import t from 'tap'
import { advance, build, meeting } from './helpers.js'

const rtk = (s: Awaited<ReturnType<typeof build>>, method: 'GET' | 'POST', path: string, payload?: unknown) =>
  s.app.inject({ method, url: `/accounts/acc/realtime/kit/org-a${path}`, headers: { authorization: 'Bearer k', ...(payload ? { 'content-type': 'application/json' } : {}) }, payload: payload as any })

t.test('a meeting\'s storage_config needs its type (as the real API and RealtimeKit say)', async (t) => {
  const s = await build(t)
  const bad = await s.call('POST', '/v2/meetings', { title: 'x', recording_config: { storage_config: { bucket: 'b' } } })
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /body\/recording_config\/storage_config must have required property 'type'/)
  const m = await meeting(s, { title: 'x', recording_config: { storage_config: { type: 'aws', bucket: 'b' } } })
  const one = await rtk(s, 'GET', `/meetings/${m.id}`)
  t.equal(one.statusCode, 200)
  t.same(one.json().data.recording_config, { storage_config: { type: 'aws', bucket: 'b' } })
})

t.test('RealtimeKit shows no keep-alive time a meeting does not have, and keeps a fraction in whole seconds', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'no keep-alive' })
  t.notOk('session_keep_alive_time_in_secs' in (await rtk(s, 'GET', `/meetings/${m.id}`)).json().data, 'no request default shown as if stored')
  const made = await rtk(s, 'POST', '/meetings', { title: 'x', session_keep_alive_time_in_secs: 60.5 })
  t.equal(made.statusCode, 201)
  t.equal(made.json().data.session_keep_alive_time_in_secs, 61)
  t.equal((await s.call('GET', `/v2/meetings/${made.json().data.id}`)).json.data.session_keep_alive_time_in_secs, 61)
})

t.test('the clock moves by fractions of a second; delays are bounded', async (t) => {
  const s = await build(t, { frozenAt: '2030-01-01T00:00:00.000Z' })
  const moved = await advance(s, 2.0005)
  t.equal(moved.status, 200)
  t.equal(moved.json.data.now, '2030-01-01T00:00:02.001Z', 'rounded to the millisecond')
  t.equal((await advance(s, 0.0001)).json.data.now, '2030-01-01T00:00:02.001Z')
  const huge = await s.call('PATCH', '/_mock/settings', { recording_start_delay_s: 1e300 })
  t.same(huge.json.error, { code: 400, message: 'body/recording_start_delay_s must be <= 315360000' })
})

t.test('preset names: empty is refused, a repeat is always a 409', async (t) => {
  const s = await build(t)
  const presets = (await s.call('GET', '/v2/presets')).json.data
  const empty = await s.call('PATCH', `/v2/presets/${presets[0].id}`, { name: '' })
  t.equal(empty.status, 400)
  t.match(empty.json.error.message, /body\/name must NOT have fewer than 1 characters/)
  const repeat = await s.call('PATCH', `/v2/presets/${presets[0].id}`, { name: presets[1].name })
  t.equal(repeat.status, 409)
})

t.test('RealtimeKit day-wise analytics refuse days that are not calendar days', async (t) => {
  const s = await build(t)
  for (const bad of ['2026-13-45', 'str', 'NaN', '2026-02-30', '%00']) {
    const r = await rtk(s, 'GET', `/analytics/daywise?end_date=${bad}`)
    t.equal(r.statusCode, 400, bad)
    t.match(r.json().error.message, /^querystring\/end_date must be a date as YYYY-MM-DD/)
  }
  const fine = await rtk(s, 'GET', '/analytics/daywise?start_date=2026-01-01&end_date=2026-01-31')
  t.equal(fine.statusCode, 200)
})

t.test('a recording started through /v2 with an untyped storage_config reads back under RealtimeKit without it', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const r = await s.call('POST', '/v2/recordings', { meeting_id: m.id, storage_config: { bucket: 'b' } })
  t.equal(r.status, 201)
  t.same(r.json.data.storage_config, { bucket: 'b' }, '/v2 shows what was sent')
  const list = await rtk(s, 'GET', '/recordings')
  t.equal(list.statusCode, 200)
  t.notOk('storage_config' in list.json().data[0])
  const one = await rtk(s, 'GET', `/recordings/${r.json.data.id}`)
  t.notOk('storage_config' in one.json().data)
})
