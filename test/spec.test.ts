// The served spec is the contract: it must be valid OpenAPI, keep everything the seed promises,
// and every operation in it must be served by a handler.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { Validator } from '@seriousme/openapi-schema-validator'
import openapiTS, { astToString } from 'openapi-typescript'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { dereference, loadSpec, specDir, toJsonSchema } from '../src/spec.js'
import { dyteHandlers as handlers } from '../src/routes/dyte.js'
import { mockHandlers } from '../src/routes/mock/index.js'
import { build } from './helpers.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
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

/**
 * The example Swagger UI fills in for a schema (its OpenAPI 3.0 sampler, swagger-ui `samples/fn`):
 * `example`, else `default`, else the first `enum` value, else one made up from the type: "string"
 * (or a fixed value for date-time, date, uuid, email, hostname, ipv4, ipv6; nothing for uri), 0 for
 * numbers (then minimum, then maximum), true, one item, and additionalProp1..3 for a map.
 * readOnly properties are left out of request bodies.
 */
function swaggerSample (schema: any, request: boolean): unknown {
  if (!schema) return undefined
  if (schema.allOf) return swaggerSample({ ...Object.assign({}, ...schema.allOf), ...schema, allOf: undefined }, request)
  if (schema.example !== undefined) return schema.example
  if (schema.default !== undefined) return schema.default
  if (schema.oneOf || schema.anyOf) return swaggerSample({ ...(schema.oneOf ?? schema.anyOf)[0], ...schema, oneOf: undefined, anyOf: undefined }, request)
  if (Array.isArray(schema.enum)) return schema.enum[0]
  const type = schema.type ?? (schema.properties || schema.additionalProperties ? 'object' : schema.items ? 'array' : 'string')
  if (type === 'object') {
    const out: Record<string, unknown> = {}
    for (const [name, sub] of Object.entries<any>(schema.properties ?? {})) {
      if (sub.deprecated || (request && sub.readOnly) || (!request && sub.writeOnly)) continue
      out[name] = swaggerSample(sub, request)
    }
    if (schema.additionalProperties === true) out.additionalProp1 = {}
    else if (schema.additionalProperties) for (let i = 1; i <= 3; i++) out[`additionalProp${i}`] = swaggerSample(schema.additionalProperties, request)
    return out
  }
  if (type === 'array') {
    const items = [swaggerSample(schema.items, request)]
    while (items.length < (schema.minItems ?? 0)) items.push(items[0])
    return items
  }
  if (type === 'number' || type === 'integer') {
    let n = 0
    if (schema.minimum !== undefined) n = schema.minimum + (schema.exclusiveMinimum ? 1 : 0)
    if (schema.maximum !== undefined) n = schema.maximum - (schema.exclusiveMaximum ? 1 : 0)
    return n
  }
  if (type === 'boolean') return true
  const formats: Record<string, string> = {
    'date-time': new Date().toISOString(), date: new Date().toISOString().slice(0, 10), uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    email: 'user@example.com', hostname: 'example.com', ipv4: '198.51.100.42', ipv6: '2001:0db8:5b96:0000:0000:426f:8e17:642a',
  }
  let str = formats[schema.format] ?? 'string'
  if (schema.maxLength !== undefined) str = str.slice(0, schema.maxLength)
  while (str.length < (schema.minLength ?? 0)) str += str
  return str
}

t.test('docs: Swagger UI\'s example request bodies pass validation, and its example errors show their status code', async (t) => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
  for (const file of ['dyte-v2.yaml', 'mock.yaml']) {
    const spec = loadSpec(file)
    // Each operation as written (with $refs resolved): the sampler reads `example`, which validation drops.
    const doc = dereference(spec.document)
    for (const op of spec.operations) {
      const written = doc.paths[op.path][op.method]
      const media = written.requestBody?.content?.['application/json']
      if (media) {
        const body = media.example ?? swaggerSample(media.schema, true)
        const validate = ajv.compile(toJsonSchema(media.schema)!)
        t.ok(validate(body), `${file} ${op.operationId}: the example body validates ${JSON.stringify(validate.errors)} ${JSON.stringify(body)}`)
      }
      for (const [code, response] of Object.entries<any>(written.responses ?? {})) {
        if (!/^[45]\d\d$|^default$/.test(code)) continue
        const m = response.content?.['application/json']
        const example: any = m?.example ?? swaggerSample(m?.schema, false)
        const shown = example?.error?.code
        if (code === 'default') t.ok(shown >= 400, `${file} ${op.operationId} default: example code ${shown}`)
        else t.equal(shown, Number(code), `${file} ${op.operationId} ${code}: example code`)
      }
    }
  }
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
