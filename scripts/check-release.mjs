// Checks that a release names one version everywhere: package.json, the Dockerfile's VERSION
// default, and whatever is given: the git tag (--tag v1.2.3, or the tag a GitHub Actions run was
// started by), the image build argument (--version 1.2.3) and a built image's label (--image ref).
// Prints one line and exits 0 when they agree; lists each difference and exits 1 otherwise.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { tag: { type: 'string' }, version: { type: 'string' }, image: { type: 'string' } } })
const expected = JSON.parse(readFileSync('package.json', 'utf8')).version
const seen = [['package.json', expected]]

// The Dockerfile is absent inside the image build, where only --version is checked.
if (existsSync('Dockerfile')) {
  const arg = /^ARG VERSION=(\S+)$/m.exec(readFileSync('Dockerfile', 'utf8'))
  seen.push(['Dockerfile ARG VERSION', arg?.[1]])
}
const tag = values.tag ?? (process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined)
if (tag !== undefined) seen.push([`tag ${tag}`, tag.replace(/^v/, '')])
if (values.version !== undefined) seen.push(['build argument VERSION', values.version])
if (values.image !== undefined) {
  const label = execFileSync('docker', ['image', 'inspect', '--format', '{{ index .Config.Labels "org.opencontainers.image.version" }}', values.image], { encoding: 'utf8' }).trim()
  seen.push([`image ${values.image} label org.opencontainers.image.version`, label])
}

const wrong = seen.filter(([, v]) => v !== expected)
if (wrong.length) {
  for (const [where, v] of wrong) console.error(`check-release: ${where} says ${v === undefined || v === '' ? 'nothing' : v}, package.json says ${expected}`)
  process.exit(1)
}
console.log(`check-release: ${expected} in ${seen.map(([where]) => where).join(', ')}`)
