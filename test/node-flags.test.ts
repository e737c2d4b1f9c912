// node's flags for the server (a young generation of 4 MiB keeps its memory small with no cost in
// throughput) are the same however it is started: npm start, the package's bin, the Docker image.
import t from 'tap'
import { readFileSync } from 'node:fs'

const startScript = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string
const [, ...startArgs] = startScript.split(' ')
const flags = startArgs.filter((a) => a.startsWith('--'))

t.test('node flags: npm start, the bin and the Docker image give node the same ones', async (t) => {
  t.same(flags, ['--max-semi-space-size=8'], 'npm start')
  t.equal(startArgs.at(-1), 'dist/src/bin.cjs')
  const shebang = readFileSync('src/bin.cts', 'utf8').split('\n')[0]
  t.equal(shebang, `#!/usr/bin/env -S node ${flags.join(' ')}`, 'the bin')
  const entrypoint = /^ENTRYPOINT (.+)$/m.exec(readFileSync('Dockerfile', 'utf8'))![1]
  t.same(JSON.parse(entrypoint), ['node', ...flags, 'dist/src/bin.cjs'], 'the Docker image')
})
