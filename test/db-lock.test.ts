// One database file, one server: a second server on the same file is refused at once with one
// line while the first keeps serving; the lock goes with the process, even after a kill -9.
import t from 'tap'
import Database from 'better-sqlite3'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from '../src/server.js'
import { build, meeting, spawnServer, tmpDb } from './helpers.js'

const inUse = 'database file is in use by another dyte-mock or program: one database file serves one dyte-mock at a time'
const headers = { authorization: 'Basic ' + Buffer.from('org-lock:key').toString('base64'), 'content-type': 'application/json' }
const exited = (child: ChildProcess) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode)
  else child.once('exit', (code, signal) => resolve(code ?? signal))
})

t.test('database lock: a second server on the same file is refused in one line; the first keeps serving', async (t) => {
  const dbPath = tmpDb(t)
  const { child, base } = await spawnServer(dbPath)
  t.teardown(() => { child.kill('SIGKILL') })
  const created = await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: 'First' }) })
  t.equal(created.status, 201)
  const { data: m } = await created.json() as { data: { id: string } }

  const second = spawnSync(process.execPath, ['dist/src/main.js', '--port', '0', '--db', dbPath], { encoding: 'utf8', timeout: 30_000 })
  t.equal(second.status, 1, 'the second server exits with status 1')
  t.equal(second.stderr, `dyte-mock: ${inUse} (--db ${dbPath})\n`, 'one line on stderr')
  t.equal(second.stdout, '')

  // In this process too: createServer throws the same message.
  await t.rejects(createServer({ dbPath, logLevel: 'silent' }), { message: inUse })

  t.equal((await fetch(`${base}/v2/meetings/${m.id}`, { headers })).status, 200, 'the first still reads')
  t.equal((await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: 'Still here' }) })).status, 201, 'and writes')
  t.notOk(existsSync(`${dbPath}-shm`), 'the WAL index is in the server\'s memory, not in a -shm file')

  // Another program (the sqlite3 shell, say) finds the file locked while the server runs…
  const reader = new Database(dbPath, { timeout: 0 })
  t.throws(() => reader.prepare('SELECT count(*) FROM meetings').get(), { code: 'SQLITE_BUSY', message: 'database is locked' })
  reader.close()
  // …and can read it once the server has stopped.
  child.kill('SIGTERM')
  t.equal(await exited(child), 0)
  const after = new Database(dbPath, { readonly: true })
  t.same(after.prepare('SELECT title FROM meetings ORDER BY seq').all(), [{ title: 'First' }, { title: 'Still here' }])
  after.close()
})

t.test('database lock: a server in this process holds its file until it closes', async (t) => {
  const dbPath = tmpDb(t)
  const first = await build(t, { dbPath })
  await t.rejects(createServer({ dbPath, logLevel: 'silent' }), { message: inUse })
  await meeting(first)
  await first.app.close()
  const again = await build(t, { dbPath })
  t.equal((await again.call('GET', '/v2/meetings')).json.data.length, 1, 'a closed server let go of the file')
})

t.test('database lock: :memory: databases are not shared, so any number of servers run', async (t) => {
  const a = await build(t)
  const b = await build(t)
  await meeting(a)
  t.equal((await b.call('GET', '/v2/meetings')).json.data.length, 0)
})

t.test('database lock: a restart right after a kill -9 starts at once, with every acknowledged write', async (t) => {
  const dbPath = tmpDb(t)
  let { child, base } = await spawnServer(dbPath)
  t.teardown(() => { child.kill('SIGKILL') })
  const res = await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: 'Before the kill' }) })
  const { data: m } = await res.json() as { data: { id: string } }
  child.kill('SIGKILL')
  t.equal(await exited(child), 'SIGKILL')

  // The lock went with the process (the kernel drops it): no wait, no stale lock to clear. A lock
  // still held would make the server exit with the one-line refusal (it does not wait for locks).
  ;({ child, base } = await spawnServer(dbPath))
  t.equal((await fetch(`${base}/v2/meetings/${m.id}`, { headers })).status, 200, 'the write acknowledged before the kill')
  child.kill('SIGTERM')
  t.equal(await exited(child), 0)
})
