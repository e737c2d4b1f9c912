// The image, compose.yaml, docs/ci.md and the README describe one thing: the same port, volume,
// health command, entrypoint, flags, environment variables, image name and version. No Docker
// engine is needed: the Dockerfile is parsed, and what can run without one runs here.
import t from 'tap'
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import YAML from 'yaml'
import { startListening } from './process.js'

const run = promisify(execFile)
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const owner = /github\.com\/([^/]+)\/([^/.]+)/.exec(pkg.repository.url)!
const image = `ghcr.io/${owner[1].toLowerCase()}/dyte-mock`
const dockerfile = DockerfileParser.parse(readFileSync('Dockerfile', 'utf8'))
const instructions = dockerfile.getInstructions()
const stages = dockerfile.getFROMs()
const runtimeStart = stages[stages.length - 1].getRange().start.line
const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart)
const one = (keyword: string, from: Instruction[] = runtime) => {
  const found = from.filter((i) => i.getKeyword() === keyword)
  if (found.length !== 1) throw new Error(`expected one ${keyword}, found ${found.length}`)
  return found[0]
}
const properties = (keyword: string) => Object.fromEntries(runtime.filter((i) => i.getKeyword() === keyword)
  .flatMap((i) => (i as any).getProperties()).map((p: any) => [p.getName(), String(p.getValue()).replace(/^"(.*)"$/s, '$1')]))
const execForm = (i: Instruction) => JSON.parse(i.getRawArgumentsContent()!.replace(/^CMD\s+/, '')) as string[]
const args = Object.fromEntries(dockerfile.getInitialARGs().map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()]))

const env = properties('ENV')
const labels = properties('LABEL')
const port = env.PORT
const volume = one('VOLUME').getArguments()[0].getValue()
const health = execForm(one('HEALTHCHECK'))
const entrypoint = execForm(one('ENTRYPOINT'))
const usage = readFileSync('src/cli.ts', 'utf8')
const readme = readFileSync('README.md', 'utf8')
const ciDoc = readFileSync('docs/ci.md', 'utf8')
const compose = YAML.parse(readFileSync('compose.yaml', 'utf8'))

t.test('image: a supported Node LTS, labels from package.json, the version checked', async (t) => {
  t.match(args.NODE_IMAGE, /^node:(22|24)-bookworm-slim$/, 'Node 22 or 24 (Node 20 is past its end of life)')
  t.same(stages.map((f) => f.getImage()), ['${NODE_IMAGE}', '${NODE_IMAGE}'], 'both stages on it')
  t.equal(args.VERSION, pkg.version, 'ARG VERSION defaults to package.json\'s version')
  t.same(labels, {
    'org.opencontainers.image.title': pkg.name,
    'org.opencontainers.image.description': pkg.description,
    'org.opencontainers.image.version': '${VERSION}',
    'org.opencontainers.image.source': `https://github.com/${owner[1]}/${owner[2]}`,
    'org.opencontainers.image.url': `https://github.com/${owner[1]}/${owner[2]}#readme`,
    'org.opencontainers.image.licenses': pkg.license,
  })
  const build = instructions.filter((i) => i.getRange().start.line < runtimeStart && i.getKeyword() === 'RUN').map((i) => i.getRawArgumentsContent()!.replace(/\s*\\\n\s*/g, ' '))
  t.ok(build.some((r) => r === 'node scripts/check-release.mjs --version "$VERSION"'), 'the build checks the VERSION argument')
  t.ok(build.some((r) => /npm prune --omit=dev .*node scripts\/prune-addon\.mjs node_modules/.test(r)), 'dev dependencies and compile leftovers go')
})

t.test('image: runs as node, keeps its database in the volume, checks its health with node alone', async (t) => {
  t.equal(one('USER').getArgumentsContent(), 'node')
  t.equal(env.HOST, '0.0.0.0')
  t.same(one('EXPOSE').getArguments().map((a) => a.getValue()), [port])
  t.equal(volume, '/data')
  t.ok(env.DYTE_MOCK_DB.startsWith(`${volume}/`), 'the database is in the volume')
  t.same([entrypoint[0], entrypoint.at(-1)], ['node', pkg.bin['dyte-mock']], 'flags after the image name go to dyte-mock')
  t.ok(entrypoint.slice(1, -1).every((a: string) => a.startsWith('--')), 'only node\'s own flags before the script')
  t.equal(health[0], 'node', 'no curl or wget (the slim base has neither)')
  t.match(health.join(' '), /process\.env\.PORT\|\|4010\)\+'\/health'/)
  for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV')) t.match(usage, new RegExp(`\\b${name}\\b`), `${name} is a documented setting`)
})

t.test('image: what it copies exists after a build, without tests, bench or upstream copies', async (t) => {
  const ignored = readFileSync('.dockerignore', 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
  for (const copy of instructions.filter((i) => i.getKeyword() === 'COPY')) {
    const [, ...rest] = copy.getArguments().map((a) => a.getValue()).reverse()
    const fromStage = (copy as any).getFlags().some((f: any) => f.getName() === 'from' && f.getValue() === 'build')
    for (const source of rest.filter((s) => !s.startsWith('--'))) {
      const path = fromStage ? source.replace(/^\/app\//, '') : source
      t.ok(fromStage && path.startsWith('node_modules') ? true : existsSync(path), `${source} exists`)
      if (!fromStage) t.notOk(ignored.some((p) => path === p || path.startsWith(`${p}/`)), `${source} is not in .dockerignore`)
      t.notMatch(path, /^(test|bench|spec\/upstream|dist\/test|dist\/bench)/, `${source} is something the image needs`)
    }
  }
  for (const script of readFileSync('Dockerfile', 'utf8').match(/scripts\/[\w.-]+/g)!) t.ok(existsSync(script), `${script} exists`)
})

t.test('image: the addon prune leaves a better-sqlite3 that loads, without its compile leftovers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dyte-mock-prune-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) cpSync(join('node_modules', name), join(dir, 'node_modules', name), { recursive: true })
  await run(process.execPath, ['scripts/prune-addon.mjs', join(dir, 'node_modules')])
  const left: string[] = []
  const walk = (d: string, rel = ''): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk(join(d, e.name), `${rel}${e.name}/`) : left.push(`${rel}${e.name}`))
  }
  walk(join(dir, 'node_modules', 'better-sqlite3'))
  t.same(left.filter((f) => !f.startsWith('lib/')).sort(), ['LICENSE', 'README.md', 'build/Release/better_sqlite3.node', 'package.json'])
  const size = left.reduce((n, f) => n + statSync(join(dir, 'node_modules', 'better-sqlite3', f)).size, 0)
  t.ok(size < 4_000_000, `${(size / 1e6).toFixed(1)} MB left`)
  const { stdout } = await run(process.execPath, ['-e', "console.log(require('better-sqlite3')(':memory:').prepare('select 6 * 7 as x').get().x)"], { cwd: dir })
  t.equal(stdout.trim(), '42', 'it loads and answers')
  const again = await run(process.execPath, ['scripts/prune-addon.mjs', join(dir, 'missing')]).then(() => 0, (err) => err.code)
  t.equal(again, 1, 'without the addon it fails rather than leaving a broken image')
})

t.test('compose.yaml: the image\'s port, volume, health check and flags; an app waiting for it', async (t) => {
  const mock = compose.services['dyte-mock']
  t.equal(mock.image, `${image}:${pkg.version}`)
  t.equal(mock.build, '.')
  t.ok(mock.ports.some((p: string) => p.endsWith(`:${port}`)), `publishes ${port}`)
  const [named, target] = mock.volumes[0].split(':')
  t.equal(target, volume)
  t.ok(named in compose.volumes, `${named} is a named volume`)
  t.same(mock.healthcheck.test, ['CMD', ...health], 'the image\'s health command')
  t.same(mock.command, ['--public-url', `http://dyte-mock:${port}`], 'webhook payload URLs name the service')
  for (const name of Object.keys(mock.environment)) t.match(usage, new RegExp(`\\b${name}\\b`), `${name} is a setting of dyte-mock`)
  const app = compose.services.app
  t.same(app.depends_on, { 'dyte-mock': { condition: 'service_healthy' } })
  t.equal(app.environment.DYTE_API_BASE_URL, `http://dyte-mock:${port}/v2`)
  t.notMatch(readFileSync('compose.yaml', 'utf8'), /(?<!\$)\$\{/, 'nothing compose would take for a variable')
})

t.test('compose.yaml: the example app\'s command creates a meeting on a running dyte-mock', async (t) => {
  const mock = compose.services['dyte-mock']
  const s = await startListening(t, process.execPath, ['dist/src/main.js', '--port', '0', '--db', ':memory:', ...mock.command],
    { env: { ...process.env, ...mock.environment } })
  const app = compose.services.app
  const [command, ...rest] = app.command
  t.equal(command, 'node')
  const { stdout } = await run(process.execPath, rest, { env: { ...process.env, ...app.environment, DYTE_API_BASE_URL: `${s.base}/v2` } })
  t.match(stdout, /^201 \{"success":true,"data":\{"id":"[0-9a-f-]{36}","title":"Standup"/)
})

t.test('docs: the image, package, flags, variables and health command are the real ones', async (t) => {
  for (const [file, text] of [['README.md', readme], ['docs/ci.md', ciDoc], ['compose.yaml', readFileSync('compose.yaml', 'utf8')], ['Dockerfile', readFileSync('Dockerfile', 'utf8')]]) {
    for (const [ref, tag] of text.matchAll(/ghcr\.io\/[\w.-]+\/[\w.-]+(?::([\w.-]+))?/g)) {
      t.ok(ref.startsWith(image) && (tag === undefined || tag === pkg.version), `${file}: ${ref}`)
    }
    for (const [ref, version] of text.matchAll(/\bdyte-mock@(\d[\w.-]*)/g)) t.equal(version, pkg.version, `${file}: ${ref}`)
  }
  const help = (await run(process.execPath, ['dist/src/main.js', '--help'])).stdout
  // Flags after `dyte-mock`, `dyte-mock@<version>` or the image reference, on any line of the docs.
  const flags = new Set(`${ciDoc}\n${readme}`.split('\n').flatMap((line) => {
    const tail = /\bdyte-mock(?:@[\w.]+|:[\w.]+)?((?: +(?:--[a-z-]+|[^\s-#][^\s#]*))+)/.exec(line)?.[1] ?? ''
    return tail.match(/--[a-z][a-z-]+/g) ?? []
  }))
  t.ok(['--port', '--db', '--seed'].every((f) => flags.has(f)), 'the flags the recipes use are found')
  for (const flag of flags) t.match(help, new RegExp(`^\\s+${flag}\\b`, 'm'), `${flag} is a flag of dyte-mock`)
  for (const [, name] of ciDoc.matchAll(/`((?:DYTE_MOCK_[A-Z_]+)|PORT|HOST|LOG_LEVEL|LOG_FORMAT)`/g)) t.match(help, name, `${name} is a setting of dyte-mock`)
  t.match(ciDoc, JSON.stringify(health[2]).slice(1, -1), 'Testcontainers checks health with the image\'s command')
  const blocks = [...ciDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1]))
  const gha = blocks.find((b) => b.jobs?.test?.services)!.jobs.test.services['dyte-mock']
  t.same({ image: gha.image, ports: gha.ports }, { image: `${image}:${pkg.version}`, ports: [`${port}:${port}`] })
  const gitlab = blocks.find((b) => b.test?.services)!.test
  t.same(gitlab.services[0].command, compose.services['dyte-mock'].command, 'GitLab passes the flags compose passes')
  t.equal(gitlab.variables.DYTE_API_BASE_URL, `http://${gitlab.services[0].alias}:${port}/v2`)
})

t.test('README: the table of contents links the recipes and every heading it names', async (t) => {
  const contents = readme.indexOf('## Contents')
  const toc = readme.slice(contents, readme.indexOf('\n## ', contents + 1))
  const slug = (h: string) => h.toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s/g, '-')
  const headings = [...readme.matchAll(/^##+ (.+)$/gm)].map((m) => slug(m[1]))
  const links = [...toc.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1])
  t.ok(links.includes('docs/ci.md'), 'the CI recipes')
  t.ok(links.includes('#docker'), 'the image')
  for (const link of links) {
    if (link.startsWith('#')) t.ok(headings.includes(link.slice(1)), `${link} is a heading`)
    else t.ok(existsSync(link.replace(/#.*$/, '')), `${link} exists`)
  }
  const ciHeadings = [...ciDoc.matchAll(/^## (.+)$/gm)].map((m) => slug(m[1]))
  for (const [, anchor] of ciDoc.matchAll(/\]\(#([^)]+)\)/g)) t.ok(ciHeadings.includes(anchor), `docs/ci.md#${anchor} is a heading`)
})
