// The executable (npm start, the bin, the Docker image) runs the bundled server with V8's code
// cache: written when a run ends cleanly, used by the next run with the same Node and flags,
// refused by V8 (and replaced) otherwise, never written over a failed start.
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startListening } from './process.js'

const FLAGS = ['--max-semi-space-size=8']
// The bundle maps back to node_modules too: these runs are left out of the coverage report (the
// same code is covered through the modules). tap measures a child through the NODE_OPTIONS it puts
// back into every spawn, so env(1) takes it out.
const node = ['-u', 'NODE_OPTIONS', process.execPath]
const args = ['dist/src/bin.cjs', '--port', '0', '--db', ':memory:']

function cacheDir (t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'dyte-mock-cache-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'code.cache')
}

/** Starts the bin, checks it serves, stops it; returns what it printed about the cache and its exit. */
async function run (t: Test, cache: string, flags = FLAGS) {
  const s = await startListening(t, 'env', [...node, ...flags, ...args], { env: { ...process.env, DYTE_MOCK_COMPILE_CACHE: cache, NODE_DEBUG: 'dyte-mock' } })
  t.equal((await fetch(`${s.base}/v2/meetings`, { headers: { authorization: 'Basic ' + Buffer.from('o:k').toString('base64') } })).status, 200, 'it serves the API')
  const exit = await s.stop()
  return { said: /code cache (.*)/.exec(s.output())?.[1] ?? '', exit }
}

t.test('bin: the first run writes the code cache as it ends, the next one uses it', async (t) => {
  const cache = cacheDir(t)
  const first = await run(t, cache)
  t.match(first.said, /^none yet, written at exit/)
  t.equal(first.exit, 0)
  t.ok(existsSync(cache) && statSync(cache).size > 100_000, 'the cache was written')
  const second = await run(t, cache)
  t.match(second.said, /^used/)
  // Other V8 flags: V8 refuses the cache, and the run replaces it with one for its own flags.
  const other = await run(t, cache, [])
  t.match(other.said, /^refused by V8, replaced at exit/)
  t.match((await run(t, cache, [])).said, /^used/)
})

t.test('bin: DYTE_MOCK_COMPILE_CACHE=off runs without one', async (t) => {
  t.match((await run(t, 'off')).said, /^off/)
})

t.test('bin: a failed start writes no cache', async (t) => {
  const cache = cacheDir(t)
  const bad = spawnSync('env', [...node, ...FLAGS, 'dist/src/bin.cjs', '--port', 'x'], { encoding: 'utf8', env: { ...process.env, DYTE_MOCK_COMPILE_CACHE: cache } })
  t.equal(bad.status, 2)
  t.match(bad.stderr, /--port must be a port number/)
  t.notOk(existsSync(cache), 'no cache from a run that did not start')
})
