// What a server does at start and what it leaves for first use: validators, serializers and the
// docs are compiled when first needed, so a run pays only for what it calls.
import t from 'tap'
import { createRequire } from 'node:module'
import { build } from './helpers.js'
import { createServer } from '../src/server.js'

const loaded = (name: string) => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes(`/node_modules/${name}/`))

t.test('start: no schema compiler is loaded until a request needs one', async (t) => {
  const s = await build(t)
  await s.app.ready()
  t.equal((await s.app.inject('/health')).statusCode, 200)
  for (const name of ['ajv', 'ajv-formats', '@fastify/ajv-compiler', '@fastify/swagger']) t.equal(loaded(name), false, `${name} is not loaded`)
  const created = await s.call('POST', '/v2/meetings', { title: 'first' })
  t.equal(created.status, 201)
  t.equal(created.json.data.title, 'first')
  t.equal(loaded('ajv'), true, 'the first validated request loads Ajv')
  const bad = await s.call('POST', '/v2/meetings', { title: 5 })
  t.match(bad.json, { success: false, error: { code: 400, message: /body\/title must be string/ } })
})

t.test('start: the webhook sender loads its HTTP client when the first delivery is sent', async (t) => {
  const app = await createServer({ dbPath: ':memory:', logger: false })
  t.teardown(() => app.close())
  await app.ready()
  t.equal((await app.inject('/health')).statusCode, 200)
  t.equal(loaded('undici'), false, 'undici is not loaded at start')
})
