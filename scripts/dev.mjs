// npm run dev [-- flags]: recompiles on every change (tsc --watch) and restarts the server when its
// compiled code changes (node --watch), with the flags given. Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const children = [
  spawn(process.execPath, [tsc, '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'], { stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', 'dist/src/main.js', ...process.argv.slice(2)], { stdio: 'inherit' }),
]
const stop = () => { for (const child of children) child.kill('SIGTERM') }
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) child.on('exit', stop)
