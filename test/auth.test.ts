// Credentials and isolation: 401 in both envelopes, and another org's ids are 404s everywhere.
import t from 'tap'
import { addParticipant, auth, build, join, meeting } from './helpers.js'

const UNAUTHORIZED = { success: false, error: { code: 401, message: 'Unauthorized' }, message: 'Unauthorized' }

t.test('auth: missing or malformed credentials are a 401 in both the Dyte and the gateway shape', async (t) => {
  const s = await build(t)
  const headers = [
    {},
    { authorization: 'Bearer abc' },
    { authorization: 'Basic !!!not-base64' },
    { authorization: 'Basic ' + Buffer.from('org-only').toString('base64') },
    { authorization: 'Basic ' + Buffer.from('org:').toString('base64') },
    { authorization: 'Basic ' + Buffer.from(':key').toString('base64') },
    { authorization: 'Digest x' },
  ]
  for (const h of headers) {
    for (const url of ['/v2/meetings', '/_mock/clock', '/v2/webhooks']) {
      const res = await s.app.inject({ url, headers: h })
      t.equal(res.statusCode, 401, `${url} ${JSON.stringify(h)}`)
      t.same(res.json(), UNAUTHORIZED)
    }
  }
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth('any-org', 'any-key') })).statusCode, 200, 'any org with a key by default')
  t.equal((await s.app.inject({ url: '/health' })).statusCode, 200, '/health needs no credentials')
  t.equal((await s.app.inject({ url: '/accounts/a/realtime/kit/x/meetings' })).statusCode, 401, 'RealtimeKit needs a token')
})

t.test('auth: with --orgs only the listed pairs are accepted', async (t) => {
  const s = await build(t, { orgs: 'org1:key1, org2:key2' })
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth('org1', 'key1') })).statusCode, 200)
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth('org2', 'key2') })).statusCode, 200)
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth('org1', 'key2') })).statusCode, 401)
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth('org3', 'key3') })).statusCode, 401)
  t.equal((await s.app.inject({ url: '/accounts/a/realtime/kit/org1/meetings', headers: { authorization: 'Bearer key1' } })).statusCode, 200)
  t.equal((await s.app.inject({ url: '/accounts/a/realtime/kit/org1/meetings', headers: { authorization: 'Bearer key2' } })).statusCode, 401)
  t.equal((await s.app.inject({ url: '/accounts/a/realtime/kit/org1/meetings', headers: { 'x-auth-key': 'key1' } })).statusCode, 401, 'X-Auth-Key needs X-Auth-Email')
  t.equal((await s.app.inject({ url: '/accounts/a/realtime/kit/apps', headers: { authorization: 'Bearer key2' } })).statusCode, 200)
  await t.rejects(build(t, { orgs: 'no-colon' }), /--orgs: 'no-colon' is not orgId:apiKey/)
})

t.test('auth: with --orgs an app made through RealtimeKit app management works with the key that made it, and only for it', async (t) => {
  const s = await build(t, { orgs: 'org1:key1,org2:key2', wall: () => Date.parse('2031-01-02T03:04:05.000Z') })
  const rtk = async (method: 'GET' | 'POST', url: string, key: string, body?: unknown) => {
    const res = await s.app.inject({ method, url: `/accounts/acc/realtime/kit${url}`, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.statusCode, json: res.json() }
  }
  const made = await rtk('POST', '/apps', 'key1', { name: 'one' })
  t.equal(made.status, 200)
  const app1 = made.json.data.app
  t.equal(app1.created_at, '2031-01-02T03:04:05.000Z', 'created_at comes from the clock the app\'s state uses')
  const app2 = (await rtk('POST', '/apps', 'key2', { name: 'two' })).json.data.app
  t.equal((await rtk('POST', '/apps', 'unknown', { name: 'x' })).status, 401, 'an unconfigured key makes no app')

  const m = await rtk('POST', `/${app1.id}/meetings`, 'key1', { title: 'in app one' })
  t.equal(m.status, 201, 'the creating key uses its app')
  t.equal((await rtk('GET', `/${app1.id}/meetings`, 'key1')).json.data.length, 1)
  t.equal((await rtk('GET', `/apps/${app1.id}`, 'key1')).json.data.name, 'one')
  t.equal((await rtk('GET', `/${app1.id}/meetings`, 'key2')).status, 401, 'another configured key does not')
  t.equal((await rtk('GET', `/apps/${app1.id}`, 'key2')).status, 401)
  t.equal((await rtk('GET', `/${app2.id}/meetings`, 'key2')).status, 200)

  t.same((await rtk('GET', '/apps', 'key1')).json.data.map((a: any) => a.id), [app1.id], 'a key lists the apps it made')
  t.same((await rtk('GET', '/apps', 'key2')).json.data.map((a: any) => a.id), [app2.id])
  t.equal((await rtk('GET', '/apps', 'key1')).json.paging.total_count, 1)

  const v2 = await s.app.inject({ url: `/v2/meetings/${m.json.data.id}`, headers: auth(app1.id, 'key1') })
  t.equal(v2.statusCode, 200, 'the same app under /v2, with the key that made it as its password')
  t.equal(v2.json().data.title, 'in app one')
  t.equal((await s.app.inject({ url: '/v2/meetings', headers: auth(app1.id, 'key2') })).statusCode, 401)
})

t.test('auth: without --orgs apps are listed per account', async (t) => {
  const s = await build(t)
  const post = (account: string, token: string, name: string) => s.app.inject({ method: 'POST', url: `/accounts/${account}/realtime/kit/apps`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { name } })
  await post('acc-a', 't1', 'first')
  await post('acc-a', 't2', 'second')
  await post('acc-b', 't1', 'elsewhere')
  const list = await s.app.inject({ url: '/accounts/acc-a/realtime/kit/apps', headers: { authorization: 'Bearer t3' } })
  t.same(list.json().data.map((a: any) => a.name), ['second', 'first'], 'newest first (the default sort_order)')
})

t.test('isolation: every id-taking route answers 404 for another org\'s id, and changes nothing', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'private' }, 'owner')
  const p = await addParticipant(s, m.id, { name: 'P' }, 'owner')
  const j = (await join(s, m.id, p.id, 'owner')).json.data
  const r = (await s.call('POST', '/v2/recordings', { meeting_id: m.id }, 'owner')).json.data
  const w = (await s.call('POST', '/v2/webhooks', { name: 'w', url: 'http://127.0.0.1:9/w', events: ['meeting.started'] }, 'owner')).json.data
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`, {}, 'owner')
  const preset = (await s.call('GET', '/v2/presets', undefined, 'owner')).json.data[0]
  const l = (await s.call('POST', '/v2/livestreams', { name: 'own' }, 'owner')).json.data

  const calls: [string, string, unknown?][] = [
    ['GET', `/v2/meetings/${m.id}`], ['PATCH', `/v2/meetings/${m.id}`, { title: 'stolen' }], ['PUT', `/v2/meetings/${m.id}`, { title: 'stolen' }],
    ['GET', `/v2/meetings/${m.id}/participants`], ['POST', `/v2/meetings/${m.id}/participants`, { preset_name: 'group_call_host' }],
    ['GET', `/v2/meetings/${m.id}/participants/${p.id}`], ['PATCH', `/v2/meetings/${m.id}/participants/${p.id}`, { name: 'x' }],
    ['DELETE', `/v2/meetings/${m.id}/participants/${p.id}`], ['POST', `/v2/meetings/${m.id}/participants/${p.id}/token`],
    ['GET', `/v2/meetings/${m.id}/livestreams`], ['POST', `/v2/meetings/${m.id}/livestreams`, {}], ['GET', `/v2/meetings/${m.id}/active-livestream`],
    ['POST', `/v2/meetings/${m.id}/active-livestream/stop`], ['GET', `/v2/meetings/${m.id}/livestream`],
    ['GET', `/v2/active-sessions/${m.id}`], ['GET', `/v2/meetings/${m.id}/active-session`],
    ['POST', `/v2/meetings/${m.id}/active-session/kick`, { participant_ids: [p.id] }], ['POST', `/v2/meetings/${m.id}/active-session/kick-all`],
    ['GET', `/v2/sessions/${j.session_id}`], ['GET', `/v2/sessions/${j.session_id}/participants`], ['GET', `/v2/sessions/${j.session_id}/participants/${j.peer_id}`],
    ['GET', `/v2/sessions/${j.session_id}/chat`], ['GET', `/v2/sessions/peer-report/${j.peer_id}`],
    ['GET', `/v2/recordings/${r.id}`], ['PUT', `/v2/recordings/${r.id}`, { action: 'stop' }],
    ['GET', `/v2/recordings/active-recordings/${m.id}`], ['GET', `/v2/recordings/active-recording/${m.id}`], ['POST', '/v2/recordings', { meeting_id: m.id }],
    ['GET', `/v2/webhooks/${w.id}`], ['PATCH', `/v2/webhooks/${w.id}`, { name: 'x' }], ['DELETE', `/v2/webhooks/${w.id}`],
    ['GET', `/v2/presets/${preset.id}`], ['DELETE', `/v2/presets/${preset.id}`],
    ['GET', `/v2/livestreams/${l.id}`], ['PUT', `/v2/livestreams/${l.id}/disable`],
    ['POST', `/_mock/meetings/${m.id}/participants/${p.id}/join`], ['POST', `/_mock/sessions/${j.session_id}/peers/${j.peer_id}/leave`],
    ['POST', `/_mock/meetings/${m.id}/active-session/end`], ['POST', `/_mock/recordings/${r.id}/fail`], ['POST', `/_mock/webhooks/${w.id}/test`],
  ]
  for (const [method, url, body] of calls) {
    const res = await s.call(method as any, url, body, 'intruder')
    t.equal(res.status, 404, `${method} ${url}`)
    t.match(res.json, { success: false, error: { code: 404 } })
  }
  t.equal((await s.call('GET', '/v2/meetings', undefined, 'intruder')).json.paging.total_count, 0, 'lists show nothing of other orgs')
  t.equal((await s.call('GET', '/v2/sessions', undefined, 'intruder')).json.data.length, 0)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`, undefined, 'owner')).json.data.title, 'private', "the owner's state is unchanged")
  t.equal((await s.call('GET', `/v2/meetings/${m.id}/active-session`, undefined, 'owner')).json.data.live_participants, 1)
  t.equal((await s.call('GET', `/v2/recordings/${r.id}`, undefined, 'owner')).json.data.status, 'INVOKED')
  t.equal((await s.call('GET', `/v2/webhooks/${w.id}`, undefined, 'owner')).status, 200)
})

t.test('auth: with --orgs a RealtimeKit app id that was never created is a 404; without --orgs any id is a fresh app', async (t) => {
  const s = await build(t, { orgs: 'org1:key1' })
  const get = (url: string, key: string) => s.app.inject({ url: `/accounts/acc/realtime/kit${url}`, headers: { authorization: `Bearer ${key}` } })
  const missing = await get('/no-such-app/meetings', 'key1')
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { success: false, error: { code: 404, message: 'No app found with id no-such-app' } })
  t.equal((await get('/apps/no-such-app', 'key1')).statusCode, 404, 'the app itself is not found either')
  t.equal((await get('/no-such-app/meetings', 'wrong')).statusCode, 401, 'a key that is not configured learns nothing: 401')
  t.equal((await get('/org1/meetings', 'key1')).statusCode, 200, 'a configured org is an app')
  const made = await s.app.inject({ method: 'POST', url: '/accounts/acc/realtime/kit/apps', headers: { authorization: 'Bearer key1', 'content-type': 'application/json' }, payload: { name: 'new' } })
  t.equal((await get(`/${made.json().data.app.id}/meetings`, 'key1')).statusCode, 200, 'an app made through POST …/apps')

  const open = await build(t)
  const fresh = await open.app.inject({ url: '/accounts/acc/realtime/kit/any-id/meetings', headers: { authorization: 'Bearer anything' } })
  t.equal(fresh.statusCode, 200, 'without --orgs any app id is a namespace of its own')
  t.same(fresh.json().data, [])
})
