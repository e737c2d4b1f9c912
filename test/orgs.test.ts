import t from 'tap'
import { build } from './helpers.js'

t.test('orgs: the CLI token makes organizations that work as namespaces with their own key', async (t) => {
  const s = await build(t, { orgs: 'main:main-key' })
  const bearer = { authorization: 'Bearer main-key', 'content-type': 'application/json' }
  const created = await s.app.inject({ method: 'POST', url: '/v2/orgs', headers: bearer, payload: { name: 'Acme', website: 'https://acme.example' } })
  t.equal(created.statusCode, 201)
  const org = created.json().data
  t.match(org, { id: /^[0-9a-f-]{36}$/, name: 'Acme', website: 'https://acme.example', apikey: /^[0-9a-f]{32}$/, preferred_region: 'ap-south-1', feature_flags: [] })
  t.equal((await s.app.inject({ method: 'POST', url: '/v2/orgs', headers: bearer, payload: { name: 'Acme' } })).statusCode, 409)
  t.equal((await s.app.inject({ method: 'POST', url: '/v2/orgs', headers: { ...bearer, authorization: 'Bearer nope' }, payload: { name: 'X' } })).statusCode, 401)
  t.equal((await s.app.inject({ url: '/v2/orgs', headers: { authorization: 'Basic ' + Buffer.from('main:main-key').toString('base64') } })).statusCode, 401, '/orgs takes the bearer token, not Basic')
  const list = await s.app.inject({ url: '/v2/orgs', headers: bearer })
  t.same(list.json().data.map((o: any) => o.name), ['Acme'])
  const patched = await s.app.inject({ method: 'PATCH', url: `/v2/orgs/${org.id}`, headers: bearer, payload: { contact: 'ops@acme.example' } })
  t.match(patched.json().data, { name: 'Acme', contact: 'ops@acme.example' })
  t.equal((await s.app.inject({ url: `/v2/orgs/${org.id}`, headers: bearer })).json().data.apikey, org.apikey)
  t.equal((await s.app.inject({ url: '/v2/orgs/00000000-0000-4000-8000-000000000000', headers: bearer })).statusCode, 404)
  // the new org is a namespace: its id and apikey work as Basic credentials, with the built-in presets
  const presets = await s.app.inject({ url: '/v2/presets', headers: { authorization: 'Basic ' + Buffer.from(`${org.id}:${org.apikey}`).toString('base64') } })
  t.equal(presets.statusCode, 200)
  t.equal(presets.json().data.length, 4)
  t.equal((await s.app.inject({ url: '/v2/presets', headers: { authorization: 'Basic ' + Buffer.from(`${org.id}:wrong`).toString('base64') } })).statusCode, 401)
})

t.test('orgs: with a seed, two fresh servers make the same organization, key included', async (t) => {
  const made = []
  for (let i = 0; i < 2; i++) {
    const s = await build(t, { seed: 'repeat' })
    const bearer = { authorization: 'Bearer cli', 'content-type': 'application/json' }
    await s.app.inject({ method: 'POST', url: '/_mock/clock', headers: { authorization: 'Basic ' + Buffer.from('cli:k').toString('base64'), 'content-type': 'application/json' }, payload: { frozen: true, now: '2030-01-01T00:00:00Z' } })
    made.push((await s.app.inject({ method: 'POST', url: '/v2/orgs', headers: bearer, payload: { name: 'Acme' } })).json().data)
  }
  t.same(made[0], made[1])
  t.match(made[0], { created_at: '2030-01-01T00:00:00.000Z', apikey: /^[0-9a-f]{32}$/ })
})
