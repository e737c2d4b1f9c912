// The served spec is the contract: it must be valid OpenAPI, keep everything the seed promises,
// and every operation in it must be served by a handler.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { Validator } from '@seriousme/openapi-schema-validator'
import openapiTS, { astToString } from 'openapi-typescript'
import { dereference, loadSpec, specDir } from '../src/spec.js'
import { handlers, mockHandlers } from '../src/server.js'
import { build } from './helpers.js'

const root = join(specDir, '..')
const served = loadSpec('dyte-v2.yaml')
const seed = dereference(YAML.parse(readFileSync(join(root, 'test', 'fixtures', 'seed-openapi.yaml'), 'utf8')))

for (const file of ['dyte-v2.yaml', 'mock.yaml']) {
  t.test(`spec: spec/${file} is valid OpenAPI 3.0`, async (t) => {
    const result = await new Validator().validate(join(specDir, file))
    t.equal(result.valid, true, JSON.stringify(result.errors))
  })
}

t.test('spec: every operation has a handler and every handler an operation', async (t) => {
  for (const [spec, hs] of [[served, handlers], [loadSpec('mock.yaml'), mockHandlers]] as const) {
    const ids = spec.operations.map((o) => o.operationId).sort()
    t.same(ids.filter((id) => !hs[id]), [], 'operations without a handler')
    t.same(Object.keys(hs).filter((h) => !ids.includes(h)), [], 'handlers without an operation')
    t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  }
})

/** Every property the seed declares is still there with the same type, format and (a superset of) enum. */
function keepsSchema (t: any, seedSchema: any, servedSchema: any, where: string) {
  if (!seedSchema || typeof seedSchema !== 'object') return
  t.ok(servedSchema, `${where} exists`)
  if (!servedSchema) return
  const flat = (s: any) => (s.allOf ? Object.assign({}, ...s.allOf.map(flat), { ...s, allOf: undefined }) : s)
  const a = flat(seedSchema)
  const b = flat(servedSchema)
  if (a.type) t.equal(b.type, a.type, `${where} type`)
  if (a.format) t.equal(b.format, a.format, `${where} format`)
  if (a.enum) t.same(a.enum.filter((e: unknown) => !b.enum?.includes(e)), [], `${where} enum keeps the seed values`)
  for (const [name, sub] of Object.entries<any>(a.properties ?? {})) {
    keepsSchema(t, sub, flat(b).properties?.[name], `${where}.${name}`)
  }
  if (a.items) keepsSchema(t, a.items, b.items, `${where}[]`)
}

t.test('spec: keeps all 27 seed operations with their ids, tags, parameters and schemas', async (t) => {
  let count = 0
  for (const [path, item] of Object.entries<any>(seed.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method]
      if (!op) continue
      count++
      const mine = served.operations.find((o) => o.path === path && o.method === method)
      t.ok(mine, `${method.toUpperCase()} ${path} is served`)
      if (!mine) continue
      t.equal(mine.operationId, op.operationId, `${op.operationId} keeps its id`)
      t.same(mine.tags, op.tags, `${op.operationId} keeps its tags`)
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const q = mine.parameters.find((x) => x.name === p.name && x.in === p.in)
        t.ok(q, `${op.operationId} keeps parameter ${p.in}:${p.name}`)
        if (q) keepsSchema(t, p.schema, q.schema, `${op.operationId} ${p.name}`)
      }
      const seedBody = op.requestBody?.content?.['application/json']?.schema
      if (seedBody) {
        keepsSchema(t, seedBody, mine.body?.schema, `${op.operationId} body`)
        // The served body must not require more than the seed does.
        const extra = (mine.body?.schema.required ?? []).filter((r: string) => !(seedBody.required ?? []).includes(r))
        t.same(extra, [], `${op.operationId} body requires nothing the seed does not`)
      }
      for (const [code, response] of Object.entries<any>(op.responses)) {
        keepsSchema(t, response.content?.['application/json']?.schema, mine.responses[code], `${op.operationId} ${code}`)
      }
    }
  }
  t.equal(count, 27)
  t.same(Object.keys(seed.components.schemas).filter((n) => !(served.document.components.schemas[n])), [], 'every seed schema is kept')
})

t.test('spec: src/generated/dyte-v2.ts is up to date (npm run gen:types)', async (t) => {
  const ast = await openapiTS(new URL(`file://${join(specDir, 'dyte-v2.yaml')}`))
  const committed = readFileSync(join(root, 'src', 'generated', 'dyte-v2.ts'), 'utf8')
  t.equal(committed.includes(astToString(ast).trim()), true)
})

t.test('docs: Swagger UI and the raw spec are served, pointing at this instance', async (t) => {
  const s = await build(t)
  const ui = await s.app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  const json = await s.app.inject('/docs/json')
  t.equal(json.statusCode, 200)
  const doc = json.json()
  t.same(doc.servers.map((x: any) => x.url), ['/v2'])
  t.equal(Object.keys(doc.paths).length, Object.keys(served.document.paths).length + Object.keys(loadSpec('mock.yaml').document.paths).length)
  t.same(doc.paths['/clock/advance'].servers.map((x: any) => x.url), ['/_mock'])
  const yaml = await s.app.inject('/docs/yaml')
  t.equal(yaml.statusCode, 200)
  t.match(yaml.body, /operationId: createMeeting/)
})

t.test('health: reports status, versions and uptime without auth', async (t) => {
  const s = await build(t)
  const res = await s.app.inject('/health')
  t.equal(res.statusCode, 200)
  t.match(res.json(), { status: 'ok', version: String, spec_version: '2.0', uptime_s: Number })
})
