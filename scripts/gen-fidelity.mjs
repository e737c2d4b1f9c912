// Writes the fidelity ledger table into docs/fidelity.md, between its generated-table markers.
import { readFileSync, writeFileSync } from 'node:fs'
import { ledgerMarkdown } from '../dist/src/fidelity.js'

const file = 'docs/fidelity.md'
const doc = readFileSync(file, 'utf8')
const start = '<!-- ledger:start (npm run gen:fidelity) -->'
const end = '<!-- ledger:end -->'
const table = `${start}\n${ledgerMarkdown()}\n${end}`
const next = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), table) : `${doc.trimEnd()}\n\n## The ledger\n\n${table}\n`
writeFileSync(file, next)
