// Writes the fidelity ledger table into docs/fidelity.md, between its generated-table markers.
import { readFileSync, writeFileSync } from 'node:fs'
import { ledgerMarkdown } from '../dist/src/fidelity.js'

const file = 'docs/fidelity.md'
const doc = readFileSync(file, 'utf8')
const start = '<!-- ledger:start (npm run gen:fidelity) -->'
const end = '<!-- ledger:end -->'
const table = `${start}\n${ledgerMarkdown()}\n${end}`
const from = doc.indexOf(start)
const to = doc.indexOf(end)
const next = from >= 0 && to > from ? doc.slice(0, from) + table + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n## The ledger\n\n${table}\n`
writeFileSync(file, next)
