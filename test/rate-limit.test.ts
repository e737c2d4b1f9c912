// Opt-in rate limits: a fixed window on the org clock per org, answered with 429 and the live API's headers.
import t from 'tap'
import { build, advance, ORG } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'

t.test('off by default: many requests, no 429 and no rate limit headers', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  t.equal((await s.call('GET', '/_mock/settings')).json.data.rate_limit, null)
  for (let i = 0; i < 5; i++) t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  const res = await s.call('GET', '/v2/meetings')
  t.equal(res.headers['retry-after'], undefined)
})

t.test('Dyte paths: under, at and over the limit, then a reset by clock advance', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const p = await s.call('PATCH', '/_mock/settings', { rate_limit: { requests: 3, window_seconds: 60 } })
  t.equal(p.status, 200)
  t.same(p.json.data.rate_limit, { requests: 3, window_seconds: 60 })
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'under')
  t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'at')
  await advance(s, 20)
  const over = await s.call('GET', '/v2/meetings')
  t.equal(over.status, 429, 'over')
  t.same(over.json, { success: false, error: { code: 429, message: over.json.error.message } })
  t.match(over.json.error.message, /3 requests per 60 seconds/)
  t.equal(over.headers['retry-after'], '40', 'seconds until the window ends on the org clock')
  t.equal(over.headers['x-envoy-ratelimited'], 'true')
  t.equal((await s.call('GET', '/_mock/settings')).status, 200, 'the control plane is never limited')
  t.equal((await s.call('GET', '/v2/meetings', undefined, 'org-b')).status, 200, 'other orgs keep their own count')
  await advance(s, 40)
  t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'a new window after the clock moves on')
  t.equal((await s.call('PATCH', '/_mock/settings', { rate_limit: null })).json.data.rate_limit, null)
  for (let i = 0; i < 4; i++) t.equal((await s.call('GET', '/v2/meetings')).status, 200, 'null turns it off')
})

t.test('RealtimeKit paths carry Cloudflare\'s ratelimit headers', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  await s.call('PATCH', '/_mock/settings', { rate_limit: { requests: 2, window_seconds: 10 } })
  const rtk = () => s.app.inject({ method: 'GET', url: `/accounts/acc/realtime/kit/${ORG}/meetings`, headers: { authorization: 'Bearer any-token' } })
  const first = await rtk()
  t.equal(first.statusCode, 200)
  t.equal(first.headers.ratelimit, '"default";r=1;t=10')
  t.equal(first.headers['ratelimit-policy'], '"default";q=2;w=10')
  await advance(s, 4)
  t.equal((await rtk()).headers.ratelimit, '"default";r=0;t=6')
  const over = await rtk()
  t.equal(over.statusCode, 429)
  t.equal(over.headers['retry-after'], '6')
  t.equal(over.headers.ratelimit, '"default";r=0;t=6')
  t.match(over.json(), { success: false, error: { code: 429 } })
  await advance(s, 6)
  t.equal((await rtk()).statusCode, 200)
})

t.test('settings refuse a malformed rate_limit', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  t.equal((await s.call('PATCH', '/_mock/settings', { rate_limit: { requests: 0, window_seconds: 60 } })).status, 400)
  t.equal((await s.call('PATCH', '/_mock/settings', { rate_limit: { requests: 5 } })).status, 400)
})

t.test('the server option sets the default every org starts with', async (t) => {
  const s = await build(t, { frozenAt: T0, rateLimit: { requests: 1, window_seconds: 60 } })
  t.same((await s.call('GET', '/_mock/settings')).json.data.rate_limit, { requests: 1, window_seconds: 60 })
  t.equal((await s.call('GET', '/v2/meetings')).status, 200)
  t.equal((await s.call('GET', '/v2/meetings')).status, 429)
})

t.test('--rate-limit takes <requests>/<seconds>; --help lists it', async (t) => {
  const { spawnSync } = await import('node:child_process')
  const bad = spawnSync(process.execPath, ['dist/src/main.js', '--db', ':memory:', '--rate-limit', 'lots'], { encoding: 'utf8' })
  t.equal(bad.status, 2)
  t.match(bad.stderr, /--rate-limit must be <requests>\/<seconds> such as 2000\/60 .* got 'lots'/)
  const help = spawnSync(process.execPath, ['dist/src/main.js', '--help'], { encoding: 'utf8' })
  t.match(help.stdout, /--rate-limit <n\/s> DYTE_MOCK_RATE_LIMIT/)
})
