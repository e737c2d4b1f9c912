// Lists where the served Dyte document (spec/dyte-v2.yaml) and the live Dyte document
// (spec/upstream/dyte-v2.yaml) give a shared operation's success answer a different shape: its
// status code, or the shape of `data` (an array against an object, or one wrapped in a key of the
// other). Field-level differences (a field more or less, a scalar's type) are not shapes.
// With --check it fails unless every difference is answered by the operation's x-live-responses
// (the shapes an org with `shapes: live` gets), and x-live-responses leaves none.
import { readFileSync } from 'node:fs'
import YAML from 'yaml'

const seed = YAML.parse(readFileSync('spec/dyte-v2.yaml', 'utf8'))
const live = YAML.parse(readFileSync('spec/upstream/dyte-v2.yaml', 'utf8'))
const methods = ['get', 'post', 'put', 'patch', 'delete']

const operations = (doc) => {
  const out = new Map()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of methods) if (item[m]) out.set(`${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`, { path, op: item[m] })
  }
  return out
}
const resolve = (doc, s, seen = []) => {
  if (!s || typeof s !== 'object' || typeof s.$ref !== 'string') return s
  if (seen.includes(s.$ref)) return {}
  let node = doc
  for (const part of s.$ref.slice(2).split('/')) node = node?.[part]
  return resolve(doc, node, [...seen, s.$ref])
}
/** A schema with its allOf parts merged (properties deep-merged), references resolved. */
const merged = (doc, s) => {
  s = resolve(doc, s)
  if (!s?.allOf) return s
  const out = { ...s, allOf: undefined }
  for (const part of s.allOf.map((p) => merged(doc, p))) {
    if (!part) continue
    if (part.type) out.type = part.type
    if (part.items) out.items = part.items
    for (const [k, v] of Object.entries(part.properties ?? {})) {
      const prev = out.properties?.[k]
      out.properties = { ...out.properties, [k]: prev ? { allOf: [prev, v] } : v }
    }
  }
  return out
}
const kind = (s) => (!s ? 'none' : s.oneOf || s.anyOf ? 'either' : s.type === 'array' || s.items ? 'array' : s.type === 'object' || s.properties ? 'object' : s.type ?? 'any')
const keysOf = (doc, s) => {
  s = merged(doc, s)
  if (kind(s) === 'array') s = merged(doc, s.items)
  return Object.keys(s?.properties ?? {})
}

/** Shape differences between two schemas of `data`, each a sentence naming where. */
function compare (a, b, where, out) {
  a = merged(seed, a); b = merged(live, b)
  const ka = kind(a), kb = kind(b)
  if (ka === 'none' || kb === 'none' || ka === 'either' || kb === 'either' || ka === 'any' || kb === 'any') return out
  const scalar = (k) => k !== 'array' && k !== 'object'
  if (scalar(ka) && scalar(kb)) return out
  if (ka !== kb) return [...out, `${where}: ${ka} (seed), ${kb} (live)`]
  if (ka === 'array') return compare(a.items, b.items, `${where}[]`, out)
  const pa = a.properties ?? {}, pb = b.properties ?? {}
  const overlap = (keys, with_) => keys.length > 0 && keys.filter((k) => with_.includes(k)).length / keys.length > 0.5
  for (const k of Object.keys(pb).filter((k) => !(k in pa))) {
    if (overlap(keysOf(live, pb[k]), Object.keys(pa))) out = [...out, `${where}: live nests it in ${where}.${k}`]
  }
  for (const k of Object.keys(pa).filter((k) => !(k in pb))) {
    if (overlap(keysOf(seed, pa[k]), Object.keys(pb))) out = [...out, `${where}: seed nests it in ${where}.${k}`]
  }
  for (const k of Object.keys(pa).filter((k) => k in pb)) out = compare(pa[k], pb[k], `${where}.${k}`, out)
  return out
}

const success = (responses) => Object.keys(responses ?? {}).filter((c) => /^2/.test(c))
const dataOf = (doc, response) => merged(doc, resolve(doc, response)?.content?.['application/json']?.schema)?.properties?.data

/** Every shape difference of one operation, given the seed's responses. */
function differences (responses, liveOp) {
  const found = []
  const sc = success(responses), lc = success(liveOp.responses)
  const codes = (cs) => cs.map((c) => c.replace(/^2XX$/, '2xx'))
  const same = sc.some((c) => lc.includes(c) || lc.includes('2XX'))
  if (!same) found.push(`status ${codes(sc).join('/')} (seed), ${codes(lc).join('/')} (live)`)
  if (sc.length && lc.length) found.push(...compare(dataOf(seed, responses[sc[0]]), dataOf(live, liveOp.responses[lc[0]]), 'data', []))
  return found
}

const liveOps = operations(live)
const rows = []
let problems = 0
for (const [key, { path, op }] of operations(seed)) {
  const l = liveOps.get(key)
  if (!l) continue
  const found = differences(op.responses, l.op)
  const answered = op['x-live-responses']
  const left = answered ? differences({ ...Object.fromEntries(Object.entries(op.responses).filter(([c]) => !/^2/.test(c))), ...answered }, l.op) : found
  if (found.length || answered) rows.push({ key: `${key.split(' ')[0]} ${path}`, id: op.operationId, found, reshape: op['x-live-reshape'] ?? (answered ? 'status only' : '–'), left })
  if (left.length) problems++
  if (answered && found.length === 0) { problems++; rows.at(-1).left = ['x-live-responses where the shapes agree'] }
}

console.log('| operation | operationId | seed vs live | `shapes: live` (x-live-reshape) |')
console.log('|---|---|---|---|')
for (const r of rows) console.log(`| \`${r.key}\` | ${r.id} | ${r.found.join('; ')} | ${r.left.length ? `**not answered**: ${r.left.join('; ')}` : `\`${r.reshape}\``} |`)
if (process.argv.includes('--check') && problems) {
  console.error(`${problems} operation(s) differ in shape without x-live-responses answering it`)
  process.exit(1)
}
