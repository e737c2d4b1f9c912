// x-dyte-mock-hint: what would have worked, in a header only. The status and body stay exactly
// what the real API answers; another org's data never shows under --orgs; the key never shows.
import t from 'tap'
import { addParticipant, auth, build, meeting, ORG } from './helpers.js'

const UNAUTHORIZED = { success: false, error: { code: 401, message: 'Unauthorized' }, message: 'Unauthorized' }
const b64 = (s: string) => 'Basic ' + Buffer.from(s).toString('base64')

t.test('hints: a path no route serves names the closest routes; a wrong method names the served ones', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  for (const [method, url, hint] of [
    ['GET', `/v2/meeting/${m.id}`, /^did you mean GET \/v2\/meetings\/\{meetingId\}( or |\?)/],
    ['GET', `/v2/meetings/${m.id}/participant`, /^did you mean GET \/v2\/meetings\/\{meetingId\}\/participants or POST \/v2\/meetings\/\{meetingId\}\/participants/],
    ['POST', `/v2/meeting/${m.id}/participants`, /^did you mean POST \/v2\/meetings\/\{meetingId\}\/participants/],
    ['DELETE', '/v2/meetings', /^DELETE is not served on \/v2\/meetings; it answers GET, POST$/],
    ['GET', '/client/v4/accounts/a/realtime/kit/app/meeting', /^did you mean GET \/accounts\/\{account_id\}\/realtime\/kit\/\{app_id\}\/meetings/],
    ['GET', '/_mock/clocks', /^did you mean GET \/_mock\/clock/],
  ] as const) {
    const res = await s.call(method, url)
    t.equal(res.status, 404, `${method} ${url}`)
    t.same(res.json, { success: false, error: { code: 404, message: `Route ${method} ${url.replace('/client/v4', '')} not found` } }, 'the body is as before')
    t.match(res.headers['x-dyte-mock-hint'], hint)
  }
  const far = await s.call('GET', '/v2/completely/different/thing/here')
  t.equal(far.headers['x-dyte-mock-hint'], undefined, 'no guess when nothing is close')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).headers['x-dyte-mock-hint'], undefined, 'success carries no hint')
})

t.test('hints: an unknown id names the org it lives in, only when no --orgs are configured', async (t) => {
  const s = await build(t)
  const m = await meeting(s, { title: 'B' }, 'org-b')
  const res = await s.call('GET', `/v2/meetings/${m.id}`)
  t.equal(res.status, 404)
  t.same(res.json, { success: false, error: { code: 404, message: `No meeting found with id ${m.id}` } })
  t.equal(res.headers['x-dyte-mock-hint'], `meeting ${m.id} exists in org org-b, not in org ${ORG} (the credentials' org id selects the org)`)
  const journaled = (await s.call('GET', '/_mock/requests?status=404')).json.data[0]
  t.equal(journaled.hint, res.headers['x-dyte-mock-hint'], 'the journal entry carries the same text')
  t.notMatch(JSON.stringify(res.json), /org-b/, 'never in the body')

  // An id of another kind in the same org.
  const mine = await meeting(s)
  const p = await addParticipant(s, mine.id)
  const wrongKind = await s.call('GET', `/v2/meetings/${p.id}`)
  t.equal(wrongKind.headers['x-dyte-mock-hint'], `${p.id} is the id of a participant of this org, not of a meeting`)
  const nowhere = await s.call('GET', '/v2/meetings/00000000-0000-4000-8000-000000000000')
  t.equal(nowhere.headers['x-dyte-mock-hint'], undefined)

  const tenants = await build(t, { orgs: `${ORG}:key,org-b:key` })
  const theirs = await meeting(tenants, { title: 'B' }, 'org-b')
  const other = await tenants.app.inject({ url: `/v2/meetings/${theirs.id}`, headers: auth(ORG, 'key') })
  t.equal(other.statusCode, 404)
  t.same(other.json(), { success: false, error: { code: 404, message: `No meeting found with id ${theirs.id}` } })
  t.equal(other.headers['x-dyte-mock-hint'], undefined, 'with --orgs another org is never named')
  const journal = await tenants.app.inject({ url: '/_mock/requests', headers: auth(ORG, 'key') })
  t.notMatch(journal.body, /org-b/, 'nor in the journal')
})

t.test('hints: a 401 says which credential check failed, never the key', async (t) => {
  const open = await build(t)
  const closed = await build(t, { orgs: `${ORG}:the-secret` })
  const cases = [
    [open, '/v2/meetings', {}, /^no Authorization header: send Authorization: Basic/],
    [open, '/v2/meetings', { authorization: 'Bearer x' }, /^Bearer credentials where Basic ones are needed/],
    [open, '/_mock/clock', { authorization: 'Digest x' }, /^the Authorization header is neither Basic nor Bearer/],
    [open, '/v2/meetings', { authorization: b64('org-only') }, /no ':' between org id and api key/],
    [open, '/v2/meetings', { authorization: b64(':key') }, /the org id .* is empty/],
    [open, '/v2/meetings', { authorization: b64('org:') }, /the API key .* is empty/],
    [closed, '/v2/meetings', { authorization: b64(`${ORG}:wrong`) }, new RegExp(`^the API key is not the one configured for org ${ORG} \\(--orgs\\)$`)],
    [open, '/accounts/a/realtime/kit/app/meetings', {}, /^no credentials: send Authorization: Bearer/],
    [open, '/accounts/a/realtime/kit/app/meetings', { 'x-auth-key': 'k' }, /X-Auth-Key needs X-Auth-Email/],
    [open, '/accounts/a/realtime/kit/app/meetings', { authorization: b64('a:b') }, /not Bearer credentials/],
    [closed, `/accounts/a/realtime/kit/${ORG}/meetings`, { authorization: 'Bearer wrong' }, new RegExp(`not the key configured with --orgs for app ${ORG}`)],
    [closed, '/accounts/a/realtime/kit/apps', { authorization: 'Bearer wrong' }, /^the token is not a key configured with --orgs$/],
    [closed, '/v2/orgs', {}, /^no credentials/],
  ] as const
  for (const [s, url, headers, hint] of cases) {
    const res = await s.app.inject({ url, headers })
    t.equal(res.statusCode, 401, `${url} ${JSON.stringify(headers)}`)
    t.same(res.json(), UNAUTHORIZED)
    t.match(res.headers['x-dyte-mock-hint'], hint)
    t.notMatch(String(res.headers['x-dyte-mock-hint']), /the-secret/)
  }
  const anyToken = await open.app.inject({ url: '/accounts/a/realtime/kit/apps', headers: { authorization: 'Bearer' } })
  t.equal(anyToken.statusCode, 401)
})

t.test('hints: a 400 from validation names the allowed values or format from the spec', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const cases = [
    ['POST', '/_mock/clock', { frozen: true, now: 'yesterday' }, /^body.now: string in date-time format, e.g. 2030-01-01T12:00:00Z$/],
    ['POST', '/_mock/requests/find', { match: { method: 'get' } }, /^body.match.method: one of GET, POST, PUT, PATCH, DELETE$/],
    ['POST', '/_mock/requests/find', { match: { nope: 1 } }, /^body.match takes only: method, path, operation_id/],
    ['POST', `/v2/meetings/${m.id}/participants`, {}, /^body.preset_name is required: string/],
    ['GET', '/_mock/requests?per_page=5000', undefined, /^querystring.per_page: integer, from 1 to 1000$/],
    ['POST', '/_mock/faults', { status: 200 }, /^body.status: integer, from 400 to 599$/],
  ] as const
  for (const [method, url, body, hint] of cases) {
    const res = await s.call(method, url, body)
    t.equal(res.status, 400, `${method} ${url} ${JSON.stringify(body)}`)
    t.same(Object.keys(res.json), ['success', 'error'])
    t.match(res.headers['x-dyte-mock-hint'], hint)
  }
  const semantic = await s.call('POST', '/_mock/faults', { path: '/x' })
  t.equal(semantic.status, 400)
  t.equal(semantic.headers['x-dyte-mock-hint'], undefined, 'a rule outside the schema has its message only')
})
