import t from 'tap'
import { build, meeting } from './helpers.js'

const body = (name: string) => ({
  name,
  config: { view_type: 'GROUP_CALL', max_video_streams: { mobile: 2, desktop: 4 }, max_screenshare_count: 1, media: { video: { quality: 'hd', frame_rate: 30 }, screenshare: { quality: 'hd', frame_rate: 5 } } },
  ui: { design_tokens: { border_radius: 'rounded', border_width: 'thin', spacing_base: 4, theme: 'dark', colors: { brand: { 500: '#000000' }, background: { 600: '#222222' }, danger: '#FF2D2D', text: '#EEEEEE', text_on_brand: '#EEEEEE', success: '#62A504', video_bg: '#191919', warning: '#FFCD07' }, logo: '' } },
})

t.test('presets: every org starts with the four built-in presets', async (t) => {
  const s = await build(t)
  const list = await s.call('GET', '/v2/presets')
  t.equal(list.status, 200)
  t.same(list.json.data.map((p: any) => p.name), ['group_call_host', 'group_call_participant', 'webinar_presenter', 'webinar_viewer'])
  t.equal(list.json.paging.total_count, 4)
  const host = await s.call('GET', `/v2/presets/${list.json.data[0].id}`)
  t.match(host.json.data, { name: 'group_call_host', config: { view_type: 'GROUP_CALL' }, permissions: { kick_participant: true } })
  t.equal((await s.call('GET', '/v2/presets', undefined, 'org-b')).json.data[0].name, 'group_call_host')
  t.not((await s.call('GET', '/v2/presets', undefined, 'org-b')).json.data[0].id, host.json.data.id, 'each org has its own')
  t.same((await s.call('GET', '/v2/presets?search=webinar')).json.data.map((p: any) => p.name), ['webinar_presenter', 'webinar_viewer'])
})

t.test('presets: create, patch (deep merge), replace, delete', async (t) => {
  const s = await build(t)
  const created = await s.call('POST', '/v2/presets', body('coach'))
  t.equal(created.status, 200)
  t.match(created.json.data, { name: 'coach', id: /^[0-9a-f-]{36}$/, config: { max_video_streams: { desktop: 4 } } })
  const id = created.json.data.id
  t.equal((await s.call('POST', '/v2/presets', body('coach'))).status, 409, 'names are unique in an org')
  t.equal((await s.call('POST', '/v2/presets', { name: 'x' })).status, 400)
  const patched = await s.call('PATCH', `/v2/presets/${id}`, { config: { max_video_streams: { desktop: 9 } } })
  t.match(patched.json.data.config, { view_type: 'GROUP_CALL', max_video_streams: { mobile: 2, desktop: 9 } })
  const replaced = await s.call('PUT', `/v2/presets/${id}`, body('coach-2'))
  t.match(replaced.json.data, { id, name: 'coach-2', config: { max_video_streams: { desktop: 4 } } })
  const deleted = await s.call('DELETE', `/v2/presets/${id}`)
  t.equal(deleted.json.data.name, 'coach-2')
  t.equal((await s.call('GET', `/v2/presets/${id}`)).status, 404)
  t.equal((await s.call('GET', `/v2/presets/${id}`, undefined, 'org-b')).status, 404)
})

t.test('presets: a participant must name a preset of the org, and its token carries the preset id', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const bad = await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'nope' })
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /preset_name 'nope' is not a preset of this organization \(presets: group_call_host/)
  const coach = (await s.call('POST', '/v2/presets', body('coach'))).json.data
  const p = (await s.call('POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'coach' })).json.data
  const claims = JSON.parse(Buffer.from(p.token.split('.')[1], 'base64url').toString())
  t.equal(claims.presetId, coach.id)
  t.equal((await s.call('PATCH', `/v2/meetings/${m.id}/participants/${p.id}`, { preset_name: 'nope' })).status, 400)
  const del = await s.call('DELETE', `/v2/meetings/${m.id}/participants/${p.id}`)
  t.equal(del.json.data.preset_id, coach.id)
})

t.test('replaceWebhook: PUT needs the whole body and resets enabled to its default', async (t) => {
  const s = await build(t)
  const w = (await s.call('POST', '/v2/webhooks', { name: 'a', url: 'http://127.0.0.1:9/a', events: ['meeting.started'], enabled: false })).json.data
  const res = await s.call('PUT', `/v2/webhooks/${w.id}`, { name: 'b', url: 'http://127.0.0.1:9/b', events: ['meeting.ended'] })
  t.match(res.json.data, { id: w.id, name: 'b', url: 'http://127.0.0.1:9/b', events: ['meeting.ended'], enabled: true, created_at: w.created_at })
  t.equal((await s.call('PUT', `/v2/webhooks/${w.id}`, { name: 'b' })).status, 400)
})
