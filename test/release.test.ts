// The workflows a maintainer relies on: they are valid GitHub Actions workflows, everything they
// call exists, and the release check refuses a tag, build argument or image label that is not
// package.json's version.
import t from 'tap'
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { validateWorkflow } from '@action-validator/core'
import YAML from 'yaml'

const run = promisify(execFile)
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const workflows = ['ci.yml', 'release.yml'].map((f) => join('.github', 'workflows', f))
const load = (f: string) => YAML.parse(readFileSync(f, 'utf8'))
const steps = (wf: any) => Object.values<any>(wf.jobs).flatMap((j) => j.steps)
const runs = (wf: any) => steps(wf).filter((s) => s.run).map((s) => s.run as string)

t.test('workflows: valid, and every script, file and npm script they call exists', async (t) => {
  for (const f of workflows) {
    t.same(validateWorkflow(readFileSync(f, 'utf8')).errors, [], `${f} is a valid workflow`)
    const text = runs(load(f)).join('\n')
    for (const [, path] of text.matchAll(/(?:bash|node|sh) ((?:\.ci|scripts)\/[\w./-]+)/g)) t.ok(existsSync(path), `${f}: ${path} exists`)
    for (const [, script] of text.matchAll(/npm run ([\w:-]+)/g)) t.ok(pkg.scripts[script], `${f}: npm run ${script}`)
    if (/docker (build|compose)/.test(text)) t.ok(existsSync('Dockerfile') && existsSync('compose.yaml'), `${f}: Dockerfile and compose.yaml exist`)
    for (const s of steps(load(f)).filter((s) => s.uses?.startsWith('./'))) t.ok(existsSync(s.uses), `${f}: ${s.uses} exists`)
  }
})

t.test('workflows: CI runs .ci/run on pushes and pull requests, on every supported Node', async (t) => {
  const ci = load(workflows[0])
  t.same(Object.keys(ci.on).sort(), ['pull_request', 'push'])
  t.ok(runs(ci).includes('bash .ci/run'))
  const nodes: number[] = ci.jobs.test.strategy.matrix.node
  t.same(nodes, [20, 22, 24])
  t.match(pkg.engines.node, /^\^20\.19\.0 \|\| >=22\.12\.0$/, 'each of them within engines')
})

t.test('workflows: a release checks the version first, tests, pushes both architectures, publishes with provenance', async (t) => {
  const wf = load(workflows[1])
  t.same(wf.on, { push: { tags: ['v*.*.*'] } })
  const first = Object.entries<any>(wf.jobs).filter(([, j]) => !j.needs).map(([id]) => id)
  t.same(first, ['check'], 'one job starts the release')
  t.ok(runs({ jobs: { check: wf.jobs.check } }).some((r) => r.startsWith('node scripts/check-release.mjs --tag')))
  const after = (id: string): string[] => [wf.jobs[id].needs ?? []].flat().flatMap((n: string) => [n, ...after(n)])
  for (const id of Object.keys(wf.jobs).filter((id) => id !== 'check')) t.ok(after(id).includes('check'), `${id} runs after the check`)
  t.ok(after('image').includes('test') && after('npm').includes('test'), 'nothing is published before the tests pass')
  t.ok(runs({ jobs: { test: wf.jobs.test } }).includes('bash .ci/run'))

  const builds = wf.jobs.image.steps.filter((s: any) => s.uses?.startsWith('docker/build-push-action'))
  const pushed = builds.find((s: any) => s.with.push)
  t.equal(pushed.with.platforms, 'linux/amd64,linux/arm64')
  t.same(pushed.with.tags.trim().split('\n').map((l: string) => l.replace(/.*:/, '')), ['${{ steps.meta.outputs.version }}', 'latest'])
  t.ok(builds.every((s: any) => s.with['build-args'] === 'VERSION=${{ steps.meta.outputs.version }}'), 'VERSION is the tag\'s')
  const checked = wf.jobs.image.steps.findIndex((s: any) => s.run?.includes('check-release.mjs --tag "$GITHUB_REF_NAME" --image'))
  t.ok(checked > 0 && checked < wf.jobs.image.steps.indexOf(pushed), 'the image label is checked before anything is pushed')
  t.equal(wf.jobs.image.permissions.packages, 'write')

  t.ok(runs({ jobs: { npm: wf.jobs.npm } }).includes('npm publish --provenance --access public'))
  t.equal(wf.jobs.npm.permissions['id-token'], 'write', 'provenance needs the OIDC token')
})

t.test('check-release: tag, package.json, Dockerfile, build argument and image label must agree', async (t) => {
  const check = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, ['scripts/check-release.mjs', ...args], { env: { ...process.env, GITHUB_REF_TYPE: '', ...env } })
    .then(({ stdout }) => ({ code: 0, out: stdout }), (err) => ({ code: err.code, out: `${err.stdout}${err.stderr}` }))
  const v = pkg.version
  t.same(await check([]), { code: 0, out: `check-release: ${v} in package.json, Dockerfile ARG VERSION\n` })
  t.same(await check(['--tag', `v${v}`, '--version', v]), { code: 0, out: `check-release: ${v} in package.json, Dockerfile ARG VERSION, tag v${v}, build argument VERSION\n` })
  t.same(await check(['--tag', 'v9.9.9']), { code: 1, out: `check-release: tag v9.9.9 says 9.9.9, package.json says ${v}\n` })
  t.same(await check(['--version', '']), { code: 1, out: `check-release: build argument VERSION says nothing, package.json says ${v}\n` })
  t.match(await check([], { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v0.0.0-wrong' }), { code: 1, out: /tag v0\.0\.0-wrong says/ }, 'the tag of a GitHub Actions run')
  t.match(await check([], { GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' }), { code: 0 }, 'a branch is no tag')

  // docker image inspect, answered by a stand-in that prints the label it is given.
  const bin = mkdtempSync(join(tmpdir(), 'dyte-mock-docker-'))
  t.teardown(() => rmSync(bin, { recursive: true, force: true }))
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\necho "$LABEL"\n')
  chmodSync(join(bin, 'docker'), 0o755)
  const path = `${bin}:${process.env.PATH}`
  t.match(await check(['--image', 'dyte-mock:ci'], { PATH: path, LABEL: v }), { code: 0, out: /image dyte-mock:ci label org\.opencontainers\.image\.version/ })
  t.same(await check(['--image', 'dyte-mock:ci'], { PATH: path, LABEL: '0.0.1' }),
    { code: 1, out: `check-release: image dyte-mock:ci label org.opencontainers.image.version says 0.0.1, package.json says ${v}\n` })
})
