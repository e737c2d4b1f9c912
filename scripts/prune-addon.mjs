// Leaves in better-sqlite3 only what Node loads at run time: its lib/, its package.json and the
// compiled addon. The compile leftovers (object files, the static SQLite library, the amalgamation
// sources in deps/) are about 25 MB of an image. Usage: node scripts/prune-addon.mjs [node_modules]
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const dir = join(process.argv[2] ?? 'node_modules', 'better-sqlite3')
const addon = join(dir, 'build', 'Release', 'better_sqlite3.node')
if (!existsSync(addon)) {
  console.error(`prune-addon: ${addon} is missing; install better-sqlite3 (with its install script) first`)
  process.exit(1)
}
const keep = new Set(['package.json', 'lib', 'LICENSE', 'README.md', 'build'])
for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(join(dir, name), { recursive: true, force: true })
for (const name of readdirSync(join(dir, 'build'))) if (name !== 'Release') rmSync(join(dir, 'build', name), { recursive: true, force: true })
for (const name of readdirSync(join(dir, 'build', 'Release'))) {
  if (name !== 'better_sqlite3.node') rmSync(join(dir, 'build', 'Release', name), { recursive: true, force: true })
}
