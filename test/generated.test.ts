// The handler types come from types generated from the specs: they must be generated from the specs as they are.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import { specDir } from '../src/spec.js'

for (const [spec, generated] of [['mock.yaml', 'mock.ts'], ['realtimekit.json', 'realtimekit.ts']]) {
  t.test(`spec: src/generated/${generated} is up to date (npm run gen:types)`, async (t) => {
    const ast = await openapiTS(new URL(`file://${join(specDir, spec)}`))
    const committed = readFileSync(join(specDir, '..', 'src', 'generated', generated), 'utf8')
    t.equal(committed.includes(astToString(ast).trim()), true)
  })
}
