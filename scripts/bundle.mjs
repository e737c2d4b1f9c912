// Build step: the command line (dist/src/cli.js) and everything it imports at start → one script,
// dist/src/main.bundle.cjs, which bin.cjs runs with V8's code cache (npm start, the package's bin,
// the Docker image). Node then reads and compiles one script instead of about 300 modules, which
// is most of a cold start on a small machine. Then one run of it makes the code cache.
//
// The bundle sits beside the modules, so paths made from import.meta.url (spec/, package.json)
// are the same. Left out, and loaded from node_modules when first needed: the native SQLite
// binding, what the server loads lazily (src/lazy.ts, the docs UI) and the pretty log printer.
import { build } from 'esbuild'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

await build({
  stdin: { contents: "import { main } from './cli.js'\nvoid main()\n", resolveDir: 'dist/src', sourcefile: 'bundle-entry.js' },
  outfile: 'dist/src/main.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Smaller to read and parse. Not keepNames: it sets the name of every function and class as it
  // is made, closures made per request included (7% of a GET's time in a profile); stack traces
  // are mapped back to src/ through the source map instead.
  minifyWhitespace: true,
  minifySyntax: true,
  // Mapped back through the modules' own maps to src/ (for stack traces under --enable-source-maps, and coverage).
  sourcemap: 'linked',
  external: ['better-sqlite3', 'ajv', 'ajv-formats', 'fast-json-stringify', 'undici', '@fastify/swagger', '@fastify/swagger-ui', 'pino-pretty', 'yaml'],
  // import() of a module left out becomes require(): a script run by vm has no module loader of
  // its own (Node's for it is experimental). Those modules are all CommonJS.
  supported: { 'dynamic-import': false },
  // A CommonJS script has no import.meta: the module URL is made from its file name.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
})

// The code cache: start the server as npm start does (the same node flags: V8 refuses a cache made
// with others), answer one request, stop it; bin.cjs writes the cache as it exits. A failure here
// only costs start-up time, so it is reported and the build goes on.
const flags = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start.split(' ').filter((a) => a.startsWith('--'))
try {
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, 'dist/src/bin.cjs', '--port', '0', '--db', ':memory:', '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /listening on (http:\/\/[^ ]+)/.exec(out)
      if (!m) return
      out = ''
      fetch(`${m[1]}/health`).finally(() => child.kill('SIGTERM'))
    })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the server exited with ${code}`))))
  })
} catch (err) {
  console.warn(`bundle: no code cache made (${err.message}); the server starts without one`)
}
