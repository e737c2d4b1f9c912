// JSON bodies the API cannot keep as sent are refused with a 400 naming the field, under both
// layouts and in every body: nesting past the depth limit, and strings with a lone surrogate.
import t from 'tap'
import { build, meeting, type TestServer } from './helpers.js'
import { MAX_JSON_DEPTH } from '../src/plugins/schemas.js'

/** A request under RealtimeKit's layout with a raw JSON body (as sent, escapes kept). */
const rtk = (s: TestServer, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: string) =>
  s.app.inject({ method, url: `/accounts/acc/realtime/kit/org-a${path}`, headers: { authorization: 'Bearer k', ...(payload ? { 'content-type': 'application/json' } : {}) }, payload })
/** A request under /v2 with a raw JSON body. */
const v2 = (s: TestServer, method: 'POST' | 'PATCH', path: string, payload: string) =>
  s.app.inject({ method, url: `/v2${path}`, headers: { authorization: 'Basic ' + Buffer.from('org-a:key').toString('base64'), 'content-type': 'application/json' }, payload })

/** `levels` objects nested as {"a":{"a":…"end"}}, as JSON text (JSON.stringify itself would overflow on deep ones). */
const nested = (levels: number) => '{"a":'.repeat(levels) + '"end"' + '}'.repeat(levels)

t.test('JSON bodies: free-form objects nested past the limit are a 400 naming the field, under both layouts', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const presetId = (await s.call('GET', '/v2/presets')).json.data[0].id
  const deep = nested(5000)
  const cases: [string, () => ReturnType<typeof v2>, RegExp][] = [
    ['POST /v2/meetings ai_config', () => v2(s, 'POST', '/meetings', `{"title":"x","ai_config":${deep}}`), /^body\/ai_config\/a\/a\/a\/a\/a\/… /],
    ['PATCH /v2/meetings recording_config.storage_config', () => v2(s, 'PATCH', `/meetings/${m.id}`, `{"recording_config":{"storage_config":{"type":"aws","extra":${deep}}}}`), /^body\/recording_config\/storage_config\/extra\/a\/a\/a\/… /],
    ['PATCH /v2/presets ui.config_diff', () => v2(s, 'PATCH', `/presets/${presetId}`, `{"ui":{"config_diff":${deep}}}`), /^body\/ui\/config_diff\/a\/a\/a\/a\/… /],
    ['POST /v2/recordings/track layers', () => v2(s, 'POST', '/recordings/track', `{"meeting_id":"${m.id}","layers":${deep}}`), /^body\/layers\/a\/a\/a\/a\/a\/… /],
    ['POST RealtimeKit meetings ai_config', () => rtk(s, 'POST', '/meetings', `{"title":"x","ai_config":${deep}}`), /^body\/ai_config\//],
    ['PATCH RealtimeKit meetings', () => rtk(s, 'PATCH', `/meetings/${m.id}`, `{"recording_config":${deep}}`), /^body\/recording_config\//],
    ['PATCH RealtimeKit presets permissions.plugins.config', () => rtk(s, 'PATCH', `/presets/${presetId}`, `{"permissions":{"plugins":{"config":${deep}}}}`), /^body\/permissions\/plugins\/config\//],
    ['an array of arrays', () => v2(s, 'POST', '/meetings', `{"title":"x","ai_config":{"list":${'['.repeat(200)}${']'.repeat(200)}}}`), /^body\/ai_config\/list\/0\/0\/0\/0\/… /],
  ]
  for (const [name, send, where] of cases) {
    const res = await send()
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { success: false, error: { code: 400, message: where } }, name)
    t.match(res.json().error.message, `nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (the limit)`, name)
  }
  t.equal((await s.call('GET', '/v2/meetings')).json.data.length, 1, 'nothing was stored')
  t.same((await s.call('GET', `/v2/meetings/${m.id}`)).json.data.recording_config, m.recording_config, 'the meeting is unchanged')
})

t.test('JSON bodies: nesting up to the limit is accepted, and kept intact', async (t) => {
  const s = await build(t)
  const presetId = (await s.call('GET', '/v2/presets')).json.data[0].id
  // The body is level 1, ui 2, config_diff 3, extra 4: MAX_JSON_DEPTH - 3 objects from extra on reach the limit.
  const diff = (levels: number) => `{"ui":{"config_diff":{"extra":${nested(levels)}}}}`
  t.equal((await v2(s, 'PATCH', `/presets/${presetId}`, diff(MAX_JSON_DEPTH - 3))).statusCode, 200, '/v2')
  t.equal((await rtk(s, 'PATCH', `/presets/${presetId}`, diff(MAX_JSON_DEPTH - 3))).statusCode, 200, 'RealtimeKit')
  const over = await rtk(s, 'PATCH', `/presets/${presetId}`, diff(MAX_JSON_DEPTH - 2))
  t.equal(over.statusCode, 400, 'one level more is refused')
  t.match(over.json().error.message, /^body\/ui\/config_diff\/extra\/a\/a\/a\/… nests/)
  // The built-in webhook inbox keeps a body exactly as it arrived.
  const atLimit = nested(MAX_JSON_DEPTH)
  t.equal((await s.app.inject({ method: 'POST', url: '/_mock/inbox/deep', headers: { 'content-type': 'application/json' }, payload: atLimit })).statusCode, 200)
  t.equal((await s.app.inject('/_mock/inbox/deep')).json().data[0].body, atLimit, 'read back as sent')
  const deeper = await s.app.inject({ method: 'POST', url: '/_mock/inbox/deep', headers: { 'content-type': 'application/json' }, payload: nested(MAX_JSON_DEPTH + 1) })
  t.equal(deeper.statusCode, 400)
})

t.test('JSON bodies: a string with a lone surrogate is a 400 naming the field, under both layouts', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const cases: [string, () => ReturnType<typeof v2>, string][] = [
    ['a high surrogate alone', () => v2(s, 'POST', '/meetings', '{"title":"x\\ud800y"}'), 'body/title contains a lone surrogate (\\ud800 without its pair), which is not valid Unicode'],
    ['a low surrogate alone', () => v2(s, 'POST', '/meetings', '{"title":"x\\uDC00"}'), 'body/title contains a lone surrogate (\\udc00 without its pair), which is not valid Unicode'],
    ['a pair in the wrong order', () => v2(s, 'PATCH', `/meetings/${m.id}`, '{"title":"\\ude00\\ud83d"}'), 'body/title contains a lone surrogate (\\ude00 without its pair), which is not valid Unicode'],
    ['in a nested free-form field', () => v2(s, 'PATCH', `/meetings/${m.id}`, '{"ai_config":{"notes":["ok","\\udbff"]}}'), 'body/ai_config/notes/1 contains a lone surrogate (\\udbff without its pair), which is not valid Unicode'],
    ['in a property name', () => v2(s, 'POST', '/meetings', '{"title":"x","ai_config":{"k\\ud800":1}}'), 'body/ai_config has a property name with a lone surrogate (\\ud800 without its pair), which is not valid Unicode'],
    ['a participant name', () => v2(s, 'POST', `/meetings/${m.id}/participants`, '{"preset_name":"group_call_host","name":"\\ud834"}'), 'body/name contains a lone surrogate (\\ud834 without its pair), which is not valid Unicode'],
    ['RealtimeKit: a meeting title', () => rtk(s, 'POST', '/meetings', '{"title":"x\\ud800y"}'), 'body/title contains a lone surrogate (\\ud800 without its pair), which is not valid Unicode'],
    ['RealtimeKit: a PATCH', () => rtk(s, 'PATCH', `/meetings/${m.id}`, '{"title":"\\udfff"}'), 'body/title contains a lone surrogate (\\udfff without its pair), which is not valid Unicode'],
  ]
  for (const [name, send, message] of cases) {
    const res = await send()
    t.equal(res.statusCode, 400, name)
    t.same(res.json(), { success: false, error: { code: 400, message } }, name)
  }
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).json.data.title, 'Standup', 'the meeting is unchanged')
  t.equal((await s.call('GET', '/v2/meetings')).json.data.length, 1, 'nothing was stored')
})

t.test('JSON bodies: escaped surrogate pairs, and characters sent as UTF-8, are kept exactly', async (t) => {
  const s = await build(t)
  const made = await v2(s, 'POST', '/meetings', '{"title":"\\ud83d\\ude00 \\u00e9 😀 \\\\ud800 literal"}')
  t.equal(made.statusCode, 201)
  const title = '😀 é 😀 \\ud800 literal'
  t.equal(made.json().data.title, title)
  t.equal((await s.call('GET', `/v2/meetings/${made.json().data.id}`)).json.data.title, title, 'read back as sent')
  t.equal((await rtk(s, 'GET', `/meetings/${made.json().data.id}`)).json().data.title, title)
})
