// A full disk: writes answer 507 in Dyte's envelope saying so, reads keep serving, and writes work
// again by themselves once there is space. SQLite's max_page_count caps the database's size as a
// full disk would (SQLITE_FULL), without root or a file system of its own; a file size limit
// (ulimit -f) makes the file system itself refuse a commit.
import t from 'tap'
import { auth, build, meeting, tmpDb } from './helpers.js'
import { startListening } from './process.js'
import { startCheckpoints } from '../src/store/db.js'

const big = (n: number) => ({ title: 'big', ai_config: { summarization: { text_format: 'markdown', summary_type: 'general', word_limit: 500 } }, recording_config: { file_name_prefix: 'x'.repeat(n) } })

t.test('disk full: writes are a 507 saying so, reads keep serving, and writes recover when space returns', async (t) => {
  const s = await build(t, { dbPath: tmpDb(t) })
  const m = await meeting(s, { title: 'before' })
  const db = s.app.dyte.store.db
  const pages = db.pragma('page_count', { simple: true }) as number
  db.pragma(`max_page_count = ${pages}`) // the disk is full: the database cannot grow

  const full = await s.call('POST', '/v2/meetings', big(200_000))
  t.equal(full.status, 507)
  t.same(full.json, { success: false, error: { code: 507, message: 'dyte-mock could not write its database: the disk is full. Reads still work; writes work again once there is space' } })
  const rtkFull = await s.app.inject({ method: 'PATCH', url: `/accounts/acc/realtime/kit/org-a/meetings/${m.id}`, headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, payload: JSON.stringify(big(200_000)) })
  t.equal(rtkFull.statusCode, 507, 'under RealtimeKit too')
  t.match(rtkFull.json(), { success: false, error: { code: 507, message: /the disk is full/ } })

  const list = await s.call('GET', '/v2/meetings')
  t.equal(list.status, 200, 'reads keep serving')
  t.same(list.json.data.map((x: any) => x.title), ['before'], 'the failed writes left nothing behind')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).json.data.title, 'before')
  t.equal((await s.app.inject({ url: `/accounts/acc/realtime/kit/org-a/meetings/${m.id}`, headers: { authorization: 'Bearer k' } })).statusCode, 200)
  t.equal((await s.call('GET', '/v2/presets')).status, 200)

  db.pragma('max_page_count = 1073741823') // space comes back
  const after = await s.call('POST', '/v2/meetings', big(200_000))
  t.equal(after.status, 201, 'writes work again with no restart')
  t.equal((await s.call('GET', `/v2/meetings/${after.json.data.id}`)).json.data.recording_config.file_name_prefix.length, 200_000)
})

t.test('disk full: a checkpoint that fails is reported once and tried again, never thrown', async (t) => {
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
  let fail = true
  let tries = 0
  const reported: unknown[] = []
  let recovered!: () => void
  const done = new Promise<void>((resolve) => { recovered = resolve })
  const db = {
    open: true,
    pragma: () => {
      tries++
      if (tries === 3) fail = false
      if (fail) throw full
      recovered()
      return []
    },
  } as unknown as Parameters<typeof startCheckpoints>[0]
  const stop = startCheckpoints(db, (err) => reported.push(err), 1)
  t.teardown(stop)
  const alive = setInterval(() => {}, 1000) // the checkpoint timer is unref'd: keep the test process up
  await done // each tick is 1 ms: two failed checkpoints, then one that works
  clearInterval(alive)
  t.same(reported, [full], 'the first failure of the run is reported; the process goes on')
  t.equal(tries, 3)
})

t.test('disk full, for real: when the file system refuses a commit, every request of that commit is a 507, none is kept, and every 201 survives', { skip: process.platform !== 'linux' && 'needs bash and RLIMIT_FSIZE' }, async (t) => {
  const dbPath = tmpDb(t)
  // The server's files may not grow past 3 MiB (ulimit -f, in KiB): a write past it fails with
  // EFBIG (node ignores SIGXFSZ), as a write to a full disk fails with ENOSPC. Run without tap's
  // NODE_OPTIONS: the coverage it adds turns SIGXFSZ into an exit.
  const limited = await startListening(t, 'bash', ['-c', `ulimit -f 3072; unset NODE_OPTIONS; exec "${process.execPath}" dist/src/main.js --port 0 --db "${dbPath}"`])
  const post = (title: string) => fetch(`${limited.base}/v2/meetings`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ ...big(100_000), title }) })
    .then(async (r) => ({ status: r.status, body: await r.json() as any }), (err) => { throw new Error(`${err.cause?.message}: the server ${limited.child.signalCode ? `was killed by ${limited.child.signalCode}` : 'closed the connection'}`) })
  const created: string[] = []
  let refused: { status: number, body: any }[] = []
  // Ten at a time, so they share commits, until the file system refuses them.
  for (let round = 0; round < 20 && refused.length === 0; round++) {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(`r${round}-${i}`)))
    for (const a of answers) if (a.status === 201) created.push(a.body.data.id)
    refused = answers.filter((a) => a.status !== 201)
  }
  t.ok(created.length > 0, 'writes worked until the files reached the limit')
  t.ok(refused.length > 0, 'then the file system refused them')
  for (const r of refused) {
    t.equal(r.status, 507)
    t.match(r.body, { success: false, error: { code: 507, message: /^dyte-mock could not write its database: the disk is full/ } })
  }
  const list = await fetch(`${limited.base}/v2/meetings?per_page=1`, { headers: auth() }).catch((err) => { throw new Error(`${err.cause?.message}: the server ${limited.child.signalCode ? `was killed by ${limited.child.signalCode}` : 'closed the connection'}`) })
  t.equal(list.status, 200, 'reads keep serving')
  t.equal((await list.json() as any).paging.total_count, created.length, 'only the acknowledged meetings are there')
  t.equal(await limited.stop(), 0, 'it still stops cleanly', { output: limited.output().slice(-3000) })

  const after = await startListening(t, process.execPath, ['dist/src/main.js', '--port', '0', '--db', dbPath])
  const again = await (await fetch(`${after.base}/v2/meetings?per_page=100`, { headers: auth() })).json() as any
  t.same(again.data.map((m: any) => m.id).sort(), [...created].sort(), 'after a restart: every 201, and nothing of a 507')
})
