// Bad input gets a clear 4xx in Dyte's envelope, naming the field and the rule; never a 5xx.
import t from 'tap'
import { advance, auth, build, meeting } from './helpers.js'
import { loadSpec } from '../src/spec.js'

t.test('validation: messages name the field and the rule', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const cases: [string, string, unknown, number, RegExp][] = [
    ['POST', `/v2/meetings/${m.id}/participants`, { name: 'x' }, 400, /^body must have required property 'preset_name'$/],
    ['POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host', picture: 'not a url' }, 400, /body\/picture must match format "uri"/],
    ['POST', '/v2/meetings', { title: 5 }, 400, /body\/title must be string/],
    ['POST', '/v2/meetings', { record_on_start: 'yes' }, 400, /body\/record_on_start must be boolean/],
    ['PATCH', `/v2/meetings/${m.id}`, { status: 'CLOSED' }, 400, /body\/status must be one of: ACTIVE, INACTIVE/],
    ['POST', '/v2/recordings', { meeting_id: m.id, audio_config: { codec: 'OGG' } }, 400, /body\/audio_config\/codec must be one of: AAC, MP3/],
    ['POST', '/v2/recordings', { meeting_id: 'nope' }, 400, /body\/meeting_id must match format "uuid"/],
    ['POST', '/v2/webhooks', { name: 'w', url: 'x', events: ['meeting.started'] }, 400, /body\/url must match format "uri"/],
    ['POST', '/v2/webhooks', { name: 'w', url: 'http://a.b/c', events: ['meeting.exploded'] }, 400, /body\/events\/0 must be one of: meeting.started/],
    ['POST', '/v2/webhooks', { name: 'w', url: 'http://a.b/c', events: [] }, 400, /body\/events must NOT have fewer than 1 items/],
    ['GET', '/v2/meetings/not-a-uuid', undefined, 400, /params\/meetingId must match format "uuid"/],
    ['GET', '/v2/meetings?per_page=abc', undefined, 400, /querystring\/per_page must be integer/],
    ['GET', '/v2/meetings?per_page=1001', undefined, 400, /querystring\/per_page must be <= 1000/],
    ['GET', '/v2/meetings?page_no=0', undefined, 400, /querystring\/page_no must be >= 1/],
    ['GET', '/v2/meetings?start_time=yesterday', undefined, 400, /querystring\/start_time must match format "date-time"/],
    ['GET', '/v2/sessions?status=ONGOING', undefined, 400, /querystring\/status must be one of: LIVE, ENDED/],
    ['GET', '/v2/recordings?status=INVOKED,NOPE', undefined, 400, /querystring\/status\/1 must be one of/],
    ['POST', '/v2/meetings', undefined, 400, /body is required and must be a JSON object/],
    ['GET', '/v2/nothing-here', undefined, 404, /Route GET \/v2\/nothing-here not found/],
  ]
  for (const [method, url, body, status, message] of cases) {
    const res = await s.call(method as any, url, body)
    t.equal(res.status, status, `${method} ${url}`)
    t.match(res.json, { success: false, error: { code: status, message } })
  }
})

t.test('validation: malformed JSON, wrong content types and oversized bodies', async (t) => {
  const s = await build(t)
  const post = (payload: string | Buffer, type?: string) => s.app.inject({ method: 'POST', url: '/v2/meetings', payload, headers: { ...auth(), ...(type ? { 'content-type': type } : {}) } })
  const bad = await post('{"title":', 'application/json')
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { success: false, error: { code: 400, message: 'body is not valid JSON' } })
  const text = await post('title=x', 'text/plain')
  t.equal(text.statusCode, 415)
  t.match(text.json(), { success: false, error: { code: 415, message: /send application\/json/ } })
  const big = await post(JSON.stringify({ title: 'x'.repeat(1_100_000) }), 'application/json')
  t.equal(big.statusCode, 413)
  t.same(big.json(), { success: false, error: { code: 413, message: 'body is larger than the 1 MiB limit' } })
  const empty = await s.app.inject({ method: 'POST', url: '/v2/meetings/00000000-0000-4000-8000-000000000000/participants/00000000-0000-4000-8000-000000000000/token', headers: { ...auth(), 'content-type': 'application/json' } })
  t.equal(empty.statusCode, 404, 'an empty JSON body counts as no body')
  t.equal((await post('{"title":"ok","unknown_field":1}', 'application/json')).statusCode, 201, 'unknown fields are accepted and ignored')
  t.equal((await post('{"title":"ok"}', 'application/json; charset=utf-8')).statusCode, 201)
})

t.test('validation: URLs the router refuses get the envelope too', async (t) => {
  const s = await build(t)
  const long = await s.call('GET', '/v2/meetings/' + 'a'.repeat(300))
  t.same(long.json, { success: false, error: { code: 400, message: 'params/meetingId must match format "uuid"' } }, 'a long id is validated like any other')
  const huge = await s.call('GET', '/v2/meetings/' + 'a'.repeat(1001))
  t.same([huge.status, huge.json], [414, { success: false, error: { code: 414, message: 'a path parameter is longer than 1000 characters' } }])
  const encoded = await s.call('GET', '/v2/meetings/%E0%A4%A')
  t.same([encoded.status, encoded.json], [400, { success: false, error: { code: 400, message: 'the URL path is not valid percent-encoded UTF-8' } }])
})

t.test('validation: the clock and settings refuse times no date-time can carry', async (t) => {
  const s = await build(t)
  const far = await s.call('POST', '/_mock/clock', { frozen: true, now: '9999-12-31T23:59:59Z' })
  t.equal(far.status, 400)
  t.match(far.json.error.message, /^body\/now would put the clock at or after 9000-01-01/)
  await s.call('POST', '/_mock/clock', { frozen: true, now: '8999-06-01T00:00:00Z' })
  const past = await advance(s, 300_000_000)
  t.equal(past.status, 400)
  t.match(past.json.error.message, /^body\/seconds would put the clock/)
  t.equal((await s.call('GET', '/_mock/clock')).json.data.now, '8999-06-01T00:00:00.000Z', 'the clock did not move')
  const ttl = await s.call('PATCH', '/_mock/settings', { download_url_ttl_s: 1e18 })
  t.same(ttl.json.error, { code: 400, message: 'body/download_url_ttl_s must be <= 315360000' })
})

t.test('validation: random input to every operation never gets a 5xx or a stack trace', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  let seed = 42
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]
  const junk = (depth = 0): unknown => {
    const kinds = ['str', 'num', 'bool', 'null', 'arr', 'obj', 'big', 'uni', 'uuid']
    switch (pick(depth > 2 ? kinds.slice(0, 4) : kinds)) {
      case 'str': return pick(['', 'x', 'ACTIVE', 'stop', 'meeting.started', 'http://a.b/c', '../../etc/passwd', "'; DROP TABLE meetings; --"])
      case 'num': return pick([0, -1, 1.5, 1e308, 2 ** 53, 60, 86401])
      case 'bool': return rand() > 0.5
      case 'null': return null
      case 'arr': return Array.from({ length: Math.floor(rand() * 3) }, () => junk(depth + 1))
      case 'obj': return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [pick(['title', 'meeting_id', 'action', 'events', 'url', 'name', 'preset_name', '__proto__', 'seconds', 'token', 'frozen', 'participant_ids']), junk(depth + 1)]))
      case 'big': return 'y'.repeat(5000)
      case 'uni': return '日本語 🙂 \u0000 \ud800'
      default: return pick([m.id, '00000000-0000-4000-8000-000000000000'])
    }
  }
  const ops = [...loadSpec('dyte-v2.yaml').operations, ...loadSpec('mock.yaml').operations]
  for (const op of ops) {
    for (let i = 0; i < 6; i++) {
      const path = op.server + op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(pick([m.id, 'nope', '00000000-0000-4000-8000-000000000000', '%', '..']))))
      const query = rand() > 0.5 ? '?' + ['page_no', 'per_page', 'status', 'search', 'start_time', 'sort_order', 'timeout_ms'].map((k) => `${k}=${encodeURIComponent(String(junk(3)))}`).join('&') : ''
      const url = (path + query).replace('timeout_ms=', 'timeout_ms=0&x=')
      const body = op.method === 'get' ? undefined : junk()
      const res = await s.app.inject({ method: op.method.toUpperCase() as any, url, headers: { ...auth(), 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) })
      t.ok(res.statusCode < 500, `${op.operationId} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`)
      if (res.statusCode >= 400) {
        const json = res.json()
        t.equal(json.error?.code, res.statusCode, `${op.operationId}: the envelope carries the status`)
        t.notMatch(res.body, /at .*\.js:\d+/, 'no stack trace')
      }
    }
  }
})
