// Build step: spec/*.yaml → dist/spec/*.json, so the server parses JSON (fast) at start-up.
// spec/ stays the source; loadSpec falls back to the YAML when the JSON is missing or older.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import YAML from 'yaml'

mkdirSync('dist/spec', { recursive: true })
for (const f of readdirSync('spec', { recursive: true }).filter((f) => f.endsWith('.yaml'))) {
  writeFileSync(`dist/spec/${f.replace(/\.yaml$/, '.json').replace(/\//g, '-')}`, JSON.stringify(YAML.parse(readFileSync(`spec/${f}`, 'utf8'))))
}
