// Loads the served OpenAPI documents once and lists their operations. Everything that
// validates or serialises a request or response is derived from what this returns.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'

export const specDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'spec')

export type JsonSchema = Record<string, any>
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema: JsonSchema
  explode?: boolean
  description?: string
}

export interface Operation {
  operationId: string
  method: Method
  path: string // OpenAPI form: /meetings/{meetingId}
  /** The operation's server URL (path-level servers win over the document's): /v2, /_mock, ... */
  server: string
  tags: string[]
  parameters: Parameter[]
  body?: { required: boolean, schema: JsonSchema }
  /** Status code or 'default' → schema of the application/json body (null: declared, not JSON). */
  responses: Record<string, JsonSchema | null>
  /** `security: []`: no credentials needed. */
  public: boolean
  /** `security: [{}, {basicAuth: []}]`: credentials are optional (checked when given). */
  optionalAuth: boolean
  /** Security scheme names the operation declares itself (else the document's). */
  security?: string[]
  /**
   * The live Dyte API's success answers where their shape differs from the served document's
   * (`x-live-responses`), and the rule that reshapes the served answer into them (`x-live-reshape`).
   */
  live?: { responses: Record<string, JsonSchema | null>, reshape?: string }
}

export interface LoadedSpec {
  document: JsonSchema // as written, with $refs (served to Swagger UI)
  operations: Operation[]
  version: string
}

const methods: Method[] = ['get', 'post', 'put', 'patch', 'delete']

export function loadSpec (file: string): LoadedSpec {
  const document = readDocument(file)
  // Only the paths, and the components they reach, are resolved: the rest is for the docs.
  const paths = dereference(document, document.paths)
  const operations: Operation[] = []
  const docServer = String(document.servers?.[0]?.url ?? '').replace(/\/$/, '')
  for (const [path, item] of Object.entries<any>(paths)) {
    const server = item.servers ? String(item.servers[0].url).replace(/\/$/, '') : docServer
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      const parameters = mergeParameters(item.parameters ?? [], op.parameters ?? [])
      const content = op.requestBody?.content?.['application/json']
      const schemas = (rs: Record<string, any>) => Object.fromEntries(Object.entries(rs).map(([code, r]) => [code, r?.content?.['application/json']?.schema ?? null]))
      const responses: Operation['responses'] = schemas(op.responses ?? {})
      const live = op['x-live-responses'] ? { responses: schemas(op['x-live-responses']), reshape: op['x-live-reshape'] } : undefined
      operations.push({
        operationId: op.operationId,
        method,
        path,
        server,
        tags: op.tags ?? [],
        parameters,
        body: content ? { required: op.requestBody.required === true, schema: content.schema } : undefined,
        responses,
        public: Array.isArray(op.security) && op.security.every((r: Record<string, unknown>) => Object.keys(r).length === 0),
        optionalAuth: Array.isArray(op.security) && op.security.length > 1 && op.security.some((r: Record<string, unknown>) => Object.keys(r).length === 0),
        security: op.security?.flatMap((r: Record<string, unknown>) => Object.keys(r)),
        live,
      })
    }
  }
  return { document, operations, version: String(document.info?.version ?? '') }
}

/**
 * The live document: a copy of `document` whose operations answer with their `x-live-responses` in
 * place of their success responses (errors stay), without the x-live-* extensions.
 */
export function liveDocument (document: JsonSchema): JsonSchema {
  const doc = structuredClone(document)
  for (const item of Object.values<any>(doc.paths)) {
    for (const method of methods) {
      const op = item[method]
      if (!op?.['x-live-responses']) continue
      const errors = Object.entries(op.responses).filter(([code]) => !code.startsWith('2'))
      op.responses = { ...op['x-live-responses'], ...Object.fromEntries(errors) }
      delete op['x-live-responses']
      delete op['x-live-reshape']
    }
  }
  return doc
}

/**
 * Reads a spec file from its compact JSON twin in dist/spec when that is up to date, and from its
 * twin when the file is absent (an installed package has no upstream copies): see
 * scripts/build-spec.mjs.
 */
function readDocument (file: string) {
  const source = join(specDir, file)
  const built = join(specDir, '..', 'dist', 'spec', file.replace(/\.yaml$/, '.json').replace(/\//g, '-'))
  if (!existsSync(source)) return JSON.parse(readFileSync(built, 'utf8'))
  if (existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs) return JSON.parse(readFileSync(built, 'utf8'))
  if (file.endsWith('.json')) return JSON.parse(readFileSync(source, 'utf8'))
  // Loaded only here: parsing YAML is the slow path (a source checkout that was not built).
  const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml')
  return YAML.parse(readFileSync(source, 'utf8'))
}

function mergeParameters (shared: Parameter[], own: Parameter[]): Parameter[] {
  const byKey = new Map<string, Parameter>()
  for (const p of [...shared, ...own]) byKey.set(`${p.in}:${p.name}`, p)
  return [...byKey.values()]
}

/**
 * Resolves local `#/...` references; a shared sub-schema becomes one shared object. A reference
 * back into itself (RealtimeKit's breakout_rooms: ActiveSession[]) becomes `{}`: any value.
 * `node` (default: the whole document) is the part of `root` to resolve.
 */
export function dereference<T> (root: T): T
export function dereference<T> (root: unknown, node: T): T
export function dereference (root: unknown, node: unknown = root): unknown {
  const cache = new Map<string, unknown>()
  const lookup = (ref: string): unknown => {
    if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`)
    let node: any = root
    for (const part of ref.slice(2).split('/')) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`)
    return node
  }
  const walk = (node: unknown, seen: string[]): any => {
    if (node === null || typeof node !== 'object') return node
    if (Array.isArray(node)) {
      const items = node.map((n) => walk(n, seen))
      return items.some((w, i) => w !== node[i]) ? items : node
    }
    const ref = (node as { $ref?: unknown }).$ref
    if (typeof ref === 'string') {
      if (seen.includes(ref)) return {}
      if (!cache.has(ref)) cache.set(ref, walk(lookup(ref), [...seen, ref]))
      return cache.get(ref)
    }
    // A node with no reference below it is kept as it is (shared with the document), not copied.
    let out: Record<string, unknown> | undefined
    for (const k in node) {
      const v = (node as Record<string, unknown>)[k]
      const w = walk(v, seen)
      if (w !== v && out === undefined) out = { ...node }
      if (out !== undefined) out[k] = w
    }
    return out ?? node
  }
  return walk(node, [])
}

/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv and fast-json-stringify: `nullable: true` becomes a
 * type union, and documentation-only keywords are dropped.
 */
// Dereferenced documents share sub-schemas, so conversions are shared too (across routes and prefixes).
const memo = new WeakMap<object, JsonSchema>()

export function toJsonSchema (schema: JsonSchema | undefined): JsonSchema | undefined {
  if (schema === undefined) return undefined
  const convert = (s: any): any => {
    if (Array.isArray(s)) return s.map(convert)
    if (s === null || typeof s !== 'object') return s
    if (memo.has(s)) return memo.get(s)
    const out: JsonSchema = {}
    memo.set(s, out)
    for (const [k, v] of Object.entries(s)) {
      if (k === 'example' || k === 'examples' || k === 'xml' || k === 'externalDocs' || k === 'discriminator' || k.startsWith('x-')) continue
      if (k === 'nullable') continue
      if (k === 'properties' || k === 'patternProperties') {
        out[k] = Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, convert(sub)]))
      } else {
        out[k] = convert(v)
      }
    }
    // OpenAPI 3.0 (draft 4) writes an exclusive bound as a boolean beside minimum/maximum.
    if (s.exclusiveMinimum === true) { out.exclusiveMinimum = s.minimum; delete out.minimum }
    if (s.exclusiveMaximum === true) { out.exclusiveMaximum = s.maximum; delete out.maximum }
    if (s.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    } else if (Array.isArray(out.enum) && out.enum.includes(null)) {
      out.enum = out.enum.filter((e: unknown) => e !== null)
    }
    return out
  }
  return convert(schema)
}

type Prune = (value: any) => any

/**
 * A function that leaves out properties whose value is null where the (converted) response schema
 * does not allow null, so an absent value is omitted as the spec describes it rather than written
 * as "" or 0 by the serializer. Copies only what it changes. Undefined when nothing could apply.
 */
export function nullPruner (schema: JsonSchema | undefined): Prune | undefined {
  const memo = new Map<object, Prune | undefined>()
  const allowsNull = (s: any) => s?.type === undefined || (Array.isArray(s.type) && s.type.includes('null')) || s.type === 'null'
  const propertiesOf = (s: any, into: Record<string, any> = {}): Record<string, any> => {
    Object.assign(into, s.properties ?? {})
    for (const part of s.allOf ?? []) propertiesOf(part, into)
    return into
  }
  const build = (s: any): Prune | undefined => {
    if (s === null || typeof s !== 'object') return undefined
    if (memo.has(s)) return memo.get(s)
    let real: Prune | undefined
    memo.set(s, (v) => (real ? real(v) : v))
    if (s.items && !Array.isArray(s.items)) {
      const item = build(s.items)
      real = item && ((v) => (Array.isArray(v) ? v.map(item) : v))
    } else {
      const rules = Object.entries(propertiesOf(s))
        .map(([name, sub]) => ({ name, drop: !allowsNull(sub), child: build(sub) }))
        .filter((r) => r.drop || r.child)
      real = rules.length === 0 ? undefined : (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
        let out = v
        for (const { name, drop, child } of rules) {
          const x = v[name]
          if (x === null && drop) {
            if (out === v) out = { ...v }
            delete out[name]
          } else if (child && x !== null && x !== undefined) {
            const y = child(x)
            if (y !== x) {
              if (out === v) out = { ...v }
              out[name] = y
            }
          }
        }
        return out
      }
    }
    if (real === undefined) memo.set(s, undefined)
    return real
  }
  return build(schema)
}

const serializableMemo = new WeakMap<object, any>()

/**
 * A response schema as the serializer needs it: without `writeOnly` properties (credentials a
 * client sends but is never shown again) and without `required` (the serializer would throw on a
 * missing field and answer 500; the spec check in the tests is what holds answers to it) and
 * without `default` (the serializer would show a request default as if it were stored).
 */
export function serializable (schema: JsonSchema): JsonSchema {
  const strip = (s: any): any => {
    if (Array.isArray(s)) return s.map(strip)
    if (s === null || typeof s !== 'object') return s
    if (serializableMemo.has(s)) return serializableMemo.get(s)
    const out: any = {}
    serializableMemo.set(s, out)
    for (const [k, v] of Object.entries(s)) {
      if ((k === 'required' && Array.isArray(v)) || k === 'default') continue
      out[k] = k === 'properties'
        ? Object.fromEntries(Object.entries(v as object).filter(([, p]) => !(p as any)?.writeOnly).map(([n, p]) => [n, strip(p)]))
        : strip(v)
    }
    return out
  }
  return strip(schema)
}
