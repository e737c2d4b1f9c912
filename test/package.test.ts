// The package as a user gets it: `npm pack`, installed from the tarball into a new project that
// has never seen this repository, then run with npx, imported from ESM and type-checked.
// npm takes what it can from its cache (--prefer-offline) and better-sqlite3 gets the addon
// this repository compiled, as a local prebuild (prebuild-install's own option), so nothing is
// compiled again and nothing is fetched from anywhere but the package registry.
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { startListening } from './process.js'

// Packing and installing take tens of seconds on a busy 2-core machine.
t.setTimeout(300_000)

const run = promisify(execFile)
const root = process.cwd()
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
// A user's environment: none of the npm or tap variables of the `npm test` running this file
// (npm_config_local_prefix would point npm back at this repository).
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env)
  .filter(([k]) => !/^(npm_|tap_|node_options$|node_v8_coverage$)/i.test(k)))
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv) =>
  run('npm', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 })

const dir = mkdtempSync(join(tmpdir(), 'dyte-mock-pack-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const app = join(dir, 'app')

t.test('package: the tarball holds what a user needs and nothing else', async (t) => {
  // The build is fresh (npm test built it); --ignore-scripts skips prepare's second build.
  const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root)
  const [packed] = JSON.parse(stdout)
  const files: string[] = packed.files.map((f: { path: string }) => f.path)
  t.comment(`tarball ${packed.filename}: ${packed.size} bytes, ${files.length} files (${packed.unpackedSize} unpacked)`)

  for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/src/main.js', 'dist/src/server.js', 'dist/src/server.d.ts',
    'dist/spec/dyte-v2.json', 'dist/spec/mock.json', 'dist/spec/upstream-dyte-v2.json', 'dist/spec/upstream-cloudflare-realtimekit.openapi.json',
    'spec/dyte-v2.yaml', 'spec/mock.yaml', 'spec/realtimekit.json', 'assets/recording.mp4', 'assets/recording-audio.m4a', 'assets/logo.svg']) {
    t.ok(files.includes(needed), `has ${needed}`)
  }
  // Everything package.json points at is in it.
  const targets = [pkg.main, pkg.types, ...Object.values<string>(pkg.bin),
    ...Object.values<string | Record<string, string>>(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))]
  for (const target of targets) t.ok(files.includes(target.replace(/^\.\//, '')), `has ${target} (named in package.json)`)

  const unwanted = files.filter((f) => /^(src|test|bench|scripts|docs|data|coverage|\.tap|\.github|\.ci|spec\/upstream|dist\/(test|bench))\//.test(f) ||
    /\.(map|tsbuildinfo|db)$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /^(tsconfig\.json|Dockerfile|compose\.yaml|\.taprc)$/.test(f))
  t.same(unwanted, [], 'no tests, bench, sources, source maps or upstream copies')
  writeFileSync(join(dir, 'tarball'), packed.filename)
})

t.test('package: installs from the tarball without a build, and runs with npx', async (t) => {
  const tarball = join(dir, readFileSync(join(dir, 'tarball'), 'utf8'))
  // better-sqlite3's install script (prebuild-install) takes a prebuilt addon from a local folder
  // when one is named like the release asset it would download: this repository's build.
  const sqlite = JSON.parse(readFileSync('node_modules/better-sqlite3/package.json', 'utf8'))
  const prebuilds = join(dir, 'prebuilds')
  mkdirSync(prebuilds)
  const asset = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  await run('tar', ['-czf', join(prebuilds, asset), 'build/Release/better_sqlite3.node'], { cwd: resolve('node_modules/better-sqlite3') })

  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'fresh-app',
    private: true,
    type: 'module',
    dependencies: { 'dyte-mock': `file:${tarball}` },
    // The better-sqlite3 of this repository's lock file, so the prebuilt addon fits it.
    overrides: { 'better-sqlite3': sqlite.version },
  }))
  const started = Date.now()
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app,
    { ...userEnv, npm_config_better_sqlite3_local_prebuilds: prebuilds })
  t.comment(`npm install of the tarball: ${Date.now() - started} ms`)

  // The package keeps its prepare script (npm runs it for a git checkout, never for a tarball):
  // had the install run it, it would have failed, with no sources and no TypeScript to build with.
  const installed = join(app, 'node_modules', 'dyte-mock')
  t.ok(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).scripts.prepare, 'the installed package.json has a prepare script')
  t.notOk(existsSync(join(installed, 'src')) || existsSync(join(installed, 'tsconfig.json')) || existsSync(join(app, 'node_modules', 'typescript')),
    'nothing to build with, so the install ran no build')

  const server = await startListening(t, 'npx', ['dyte-mock', '--port', '0', '--db', ':memory:'], { cwd: app, env: userEnv })
  const health = await fetch(`${server.base}/health`)
  t.match({ status: health.status, body: await health.json() }, { status: 200, body: { status: 'ok', version: pkg.version } }, 'npx dyte-mock answers /health')
  const authorization = 'Basic ' + Buffer.from('org:key').toString('base64')
  const fidelity = await (await fetch(`${server.base}/_mock/fidelity`, { headers: { authorization } })).json()
  t.equal(fidelity.data.length, 125, 'the fidelity ledger works without the upstream copies')
  const docs = await fetch(`${server.base}/docs`)
  t.match({ status: docs.status, html: await docs.text() }, { status: 200, html: `<title>dyte-mock ${pkg.version}` }, 'Swagger UI, with its assets')
  await server.stop()
  t.match(server.output(), 'SIGTERM received, closing', 'SIGTERM closes it')
})

t.test('package: imported from a fresh ESM project, with every declared export and its types', async (t) => {
  writeFileSync(join(app, 'check.mjs'), `
    import { createRequire } from 'node:module'
    import { createServer, startDyteMock } from 'dyte-mock'
    import { DyteMockError } from 'dyte-mock/client'
    const pkg = createRequire(import.meta.url)('dyte-mock/package.json')
    const exports = {}
    for (const subpath of Object.keys(pkg.exports)) {
      const name = 'dyte-mock' + subpath.slice(1)
      exports[subpath] = Object.keys(subpath.endsWith('.json') ? createRequire(import.meta.url)(name) : await import(name)).length > 0
    }
    const app = await createServer({ dbPath: ':memory:', logLevel: 'silent' })
    const res = await app.inject({ url: '/health' })
    await app.close()
    // The typed client against a started server.
    const mock = await startDyteMock()
    const clock = await mock.client.clock.freeze('2030-01-01T00:00:00Z')
    const error = await mock.client.join('not-a-token').catch((e) => e instanceof DyteMockError && e.status)
    await mock.close()
    console.log(JSON.stringify({ exports, status: res.statusCode, version: res.json().version, clock, error }))
  `)
  const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app, env: userEnv })
  const result = JSON.parse(stdout)
  t.same(result, {
    exports: Object.fromEntries(Object.keys(pkg.exports).map((k) => [k, true])),
    status: 200,
    version: pkg.version,
    clock: { now: '2030-01-01T00:00:00.000Z', frozen: true },
    error: 401,
  })

  // Types: a wrong option must be an error, so the types did resolve (not `any`).
  writeFileSync(join(app, 'use.ts'), `
    import { createServer, startDyteMock, type ServerOptions } from 'dyte-mock'
    import { DyteMockClient, type Clock } from 'dyte-mock/client'
    const options: ServerOptions = { dbPath: ':memory:', logLevel: 'silent', seed: 'ci' }
    const app = await createServer(options)
    const res = await app.inject({ method: 'GET', url: '/health' })
    const status: number = res.statusCode
    // @ts-expect-error dbPath is a string
    await createServer({ dbPath: 42 })
    await app.close()

    const mock = await startDyteMock({ orgId: 'team-a' })
    const clock: Clock = await mock.client.clock.freeze(new Date())
    // @ts-expect-error advance takes seconds as a number
    await mock.client.clock.advance('5')
    const client = new DyteMockClient({ baseUrl: mock.url, orgId: 'o', apiKey: 'k' })
    const { data } = await client.api.GET('/faults')
    const faultIds: Array<string | undefined> = (data?.data ?? []).map((f) => f.id)
    // @ts-expect-error no such control-plane path
    await client.api.GET('/no-such-path')
    await mock.close()
    export { status, clock, faultIds }
  `)
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false,
      // @types/node from this repository: the fresh project installed only dyte-mock.
      typeRoots: [resolve('node_modules/@types')], types: ['node'],
    },
    files: ['use.ts'],
  }))
  const tsc = await run(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, env: userEnv })
    .then(() => '', (err) => `${err.stdout}${err.stderr}`)
  t.equal(tsc, '', 'tsc --noEmit passes on code using the package\'s types')
})
