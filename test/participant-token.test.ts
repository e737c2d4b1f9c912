// Dyte's Bearer scheme on /recordings: a participant's token in place of the org's Basic
// credentials, for a participant whose preset may record, scoped to the token's org.
import t from 'tap'
import { addParticipant, advance, auth, build, meeting, type TestServer } from './helpers.js'

const T0 = '2030-01-01T00:00:00.000Z'

async function withToken (s: TestServer, method: 'GET' | 'POST' | 'PUT', url: string, token: string, body?: unknown) {
  const res = await s.app.inject({
    method, url, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.statusCode, json: res.json() }
}

t.test('participant token: a host starts, lists and reads recordings of its org', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const host = await addParticipant(s, m.id, { name: 'Hana', preset_name: 'group_call_host' })
  const started = await withToken(s, 'POST', '/v2/recordings', host.token, { meeting_id: m.id })
  t.equal(started.status, 201)
  t.match(started.json.data, { status: 'INVOKED', start_reason: { reason: 'API_CALL', caller: { type: 'USER', user_Id: host.id, name: 'Hana' } } },
    'the recording was started by the participant')
  const id = started.json.data.id
  const list = await withToken(s, 'GET', '/v2/recordings', host.token)
  t.equal(list.status, 200)
  t.same(list.json.data.map((r: any) => r.id), [id])
  const one = await withToken(s, 'GET', `/v2/recordings/${id}`, host.token)
  t.equal(one.status, 200)
  t.equal(one.json.data.id, id)
  t.equal((await s.call('GET', `/v2/recordings/${id}`)).json.data.start_reason.caller.user_Id, host.id, 'the org sees the same recording')
})

t.test('participant token: a preset that may not record is a 403 naming the permission', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const guest = await addParticipant(s, m.id, { preset_name: 'group_call_participant' })
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  for (const [method, url, body] of [['POST', '/v2/recordings', { meeting_id: m.id }], ['GET', '/v2/recordings'], ['GET', `/v2/recordings/${rec.id}`]] as const) {
    const res = await withToken(s, method, url, guest.token, body)
    t.equal(res.status, 403, `${method} ${url}`)
    t.same(res.json, { success: false, error: { code: 403, message: "The participant's preset group_call_participant may not record (permissions.can_record is false)" } })
  }
  t.equal((await s.call('GET', '/v2/recordings')).json.data.length, 1, 'nothing was started')
  // The preset's permission decides: granting it lets the same token record.
  const preset = (await s.call('GET', '/v2/presets')).json.data.find((p: any) => p.name === 'group_call_participant')
  t.equal((await s.call('PATCH', `/v2/presets/${preset.id}`, { permissions: { can_record: true } })).status, 200)
  t.equal((await withToken(s, 'GET', '/v2/recordings', guest.token)).status, 200)
})

t.test('participant token: only the three recording operations take it; elsewhere it is a 401', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const host = await addParticipant(s, m.id)
  const rec = (await s.call('POST', '/v2/recordings', { meeting_id: m.id })).json.data
  for (const [method, url, body] of [
    ['GET', '/v2/meetings'], ['GET', `/v2/meetings/${m.id}`], ['PUT', `/v2/recordings/${rec.id}`, { action: 'stop' }],
    ['GET', `/v2/recordings/active-recording/${m.id}`], ['GET', '/v2/webhooks'], ['GET', '/_mock/clock'],
  ] as const) {
    const res = await withToken(s, method, url, host.token, body)
    t.equal(res.status, 401, `${method} ${url}`)
    t.equal(res.json.error.code, 401)
  }
  t.equal((await s.call('GET', `/v2/recordings/${rec.id}`)).json.data.status, 'INVOKED', 'the recording was not stopped')
})

t.test('participant token: bad, forged, expired and orphaned tokens are 401s', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const m = await meeting(s)
  const host = await addParticipant(s, m.id)
  const [h, p, sig] = host.token.split('.')
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
  const forged = [h, Buffer.from(JSON.stringify({ ...claims, orgId: 'other-org' })).toString('base64url'), sig].join('.')
  for (const token of ['not-a-jwt', 'a.b.c', forged, `${h}.${p}.${sig.slice(0, -4)}AAAA`]) {
    const res = await withToken(s, 'GET', '/v2/recordings', token)
    t.equal(res.status, 401, token.slice(0, 20))
    t.match(res.json.error.message, /^Invalid participant token: /)
  }
  const hinted = await s.app.inject({ url: '/v2/recordings', headers: { authorization: 'Bearer not-a-jwt' } })
  t.match(hinted.headers['x-dyte-mock-hint'], /participant token was not accepted/, 'the hint speaks of the participant token, not of Basic credentials')
  await advance(s, 101 * 24 * 3600)
  t.match(await withToken(s, 'GET', '/v2/recordings', host.token), { status: 401, json: { error: { message: /^Invalid participant token: .*exp/ } } }, 'expired on the org clock')
  const fresh = (await s.call('POST', `/v2/meetings/${m.id}/participants/${host.id}/token`)).json.data.token
  t.equal((await withToken(s, 'GET', '/v2/recordings', fresh)).status, 200, 'a refreshed token works')
  t.equal((await s.call('DELETE', `/v2/meetings/${m.id}/participants/${host.id}`)).status, 200)
  t.match(await withToken(s, 'GET', '/v2/recordings', fresh), { status: 401, json: { error: { message: /no longer exists/ } } }, 'a deleted participant')
})

t.test('participant token: the token\'s org is the one read and written', async (t) => {
  const s = await build(t, { orgs: 'org-a:key-a,org-b:key-b' })
  const call = (org: string, method: 'GET' | 'POST', url: string, body?: unknown) => s.app.inject({
    method, url, headers: { ...auth(org, `key-${org.slice(-1)}`), ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json())
  const ma = (await call('org-a', 'POST', '/v2/meetings', { title: 'a' })).data
  const mb = (await call('org-b', 'POST', '/v2/meetings', { title: 'b' })).data
  const hostA = (await call('org-a', 'POST', `/v2/meetings/${ma.id}/participants`, { preset_name: 'group_call_host' })).data
  const recB = (await call('org-b', 'POST', '/v2/recordings', { meeting_id: mb.id })).data
  t.equal((await withToken(s, 'GET', `/v2/recordings/${recB.id}`, hostA.token)).status, 404, 'another org\'s recording is not found')
  t.equal((await withToken(s, 'POST', '/v2/recordings', hostA.token, { meeting_id: mb.id })).status, 404, 'nor is another org\'s meeting')
  const own = await withToken(s, 'POST', '/v2/recordings', hostA.token, { meeting_id: ma.id })
  t.equal(own.status, 201, 'with --orgs set, the token needs no Basic credentials')
  t.same((await withToken(s, 'GET', '/v2/recordings', hostA.token)).json.data.map((r: any) => r.id), [own.json.data.id], 'only its org\'s recordings are listed')
  t.same((await call('org-b', 'GET', '/v2/recordings')).data.map((r: any) => r.id), [recB.id], 'the other org is unchanged')
})
