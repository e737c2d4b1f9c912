// The fidelity ledger covers every operation of both upstream specs, and never calls an
// operation served that is not.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { fidelityLedger, ledgerMarkdown } from '../src/fidelity.js'
import { loadSpec, specDir } from '../src/spec.js'
import { build } from './helpers.js'

const methods = ['get', 'post', 'put', 'patch', 'delete']
const opsOf = (doc: any) => Object.entries<any>(doc.paths).flatMap(([path, item]) => methods.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`))
const dyte = opsOf(YAML.parse(readFileSync(join(specDir, 'upstream', 'dyte-v2.yaml'), 'utf8')))
const rtk = opsOf(JSON.parse(readFileSync(join(specDir, 'upstream', 'cloudflare-realtimekit.openapi.json'), 'utf8')))

t.test('ledger: every upstream operation is listed exactly once', async (t) => {
  const ledger = fidelityLedger()
  t.same(ledger.filter((e) => e.api === 'dyte').map((e) => `${e.method} ${e.path}`).sort(), [...dyte].sort())
  t.same(ledger.filter((e) => e.api === 'realtimekit').map((e) => `${e.method} ${e.path}`).sort(), [...rtk].sort())
  t.equal(ledger.length, 125)
})

t.test('ledger: an operation called served has a route that answers', async (t) => {
  const s = await build(t)
  const served = loadSpec('dyte-v2.yaml')
  const route = (path: string) => path.replace(/\{([^}]+)\}/g, (_, n: string) => ':' + n.replace(/[^A-Za-z0-9_]/g, '_'))
  for (const e of fidelityLedger()) {
    if (e.state === 'not served') continue
    const url = e.api === 'dyte'
      ? '/v2' + route(served.operations.find((op) => op.operationId === e.served_by)!.path)
      : route(e.path)
    t.ok(s.app.hasRoute({ method: e.method as any, url }), `${e.api} ${e.method} ${e.path} → ${url}`)
  }
  for (const e of fidelityLedger()) {
    if (e.state === 'not served' || e.method !== 'GET') continue
    // A GET with made-up ids answers in the Dyte envelope, never 501 (not emulated).
    const fill = (p: string) => p.replace(/\{([^}]+)\}/g, (_, n: string) => (n === 'app_id' ? 'org-a' : n === 'account_id' ? 'acc' : '00000000-0000-4000-8000-000000000000'))
    const url = e.api === 'dyte' ? '/v2' + fill(served.operations.find((op) => op.operationId === e.served_by)!.path) : fill(e.path)
    const res = await s.app.inject({ url, headers: e.api === 'dyte' ? { authorization: 'Basic ' + Buffer.from('org-a:k').toString('base64') } : { authorization: 'Bearer k' } })
    t.not(res.statusCode, 501, `${e.method} ${url}`)
    t.ok(res.statusCode < 500, `${e.method} ${url} answered ${res.statusCode}`)
  }
})

t.test('ledger: served at /_mock/fidelity, filterable, and docs/fidelity.md has it', async (t) => {
  const s = await build(t)
  const all = await s.call('GET', '/_mock/fidelity')
  t.equal(all.json.data.length, 125)
  const simulated = await s.call('GET', '/_mock/fidelity?api=realtimekit&state=simulated')
  t.ok(simulated.json.data.length > 0)
  t.ok(simulated.json.data.every((e: any) => e.api === 'realtimekit' && e.state === 'simulated' && e.notes))
  const doc = readFileSync(join(specDir, '..', 'docs', 'fidelity.md'), 'utf8')
  t.ok(doc.includes(ledgerMarkdown()), 'docs/fidelity.md is up to date (npm run gen:fidelity)')
})
