// Build step: spec/*.yaml and spec/*.json → compact dist/spec/*.json, so the server parses
// compact JSON (fast) at start-up. spec/ stays the source; loadSpec falls back to it when the twin
// is missing or older.
// The upstream reference copies (spec/upstream/) are reduced to what the fidelity ledger reads
// (each operation's path, method and operationId): a package carries these twins, not the copies.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import YAML from 'yaml'

const methods = ['get', 'post', 'put', 'patch', 'delete']
const operationsOnly = (doc) => ({
  openapi: doc.openapi,
  info: doc.info,
  paths: Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path, Object.fromEntries(
    methods.filter((m) => item[m]).map((m) => [m, item[m].operationId === undefined ? {} : { operationId: item[m].operationId }]),
  )])),
})

mkdirSync('dist/spec', { recursive: true })
for (const f of readdirSync('spec', { recursive: true }).filter((f) => /\.(yaml|json)$/.test(f))) {
  const upstream = f.startsWith('upstream/')
  const text = readFileSync(`spec/${f}`, 'utf8')
  const doc = f.endsWith('.json') ? JSON.parse(text) : YAML.parse(text)
  writeFileSync(`dist/spec/${f.replace(/\.yaml$/, '.json').replace(/\//g, '-')}`, JSON.stringify(upstream ? operationsOnly(doc) : doc))
}
