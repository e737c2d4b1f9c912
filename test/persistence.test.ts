// State lives in the SQLite file: it survives closing the server in-process, a kill -9 of the
// process (for every write acknowledged with a 2xx), and a graceful SIGTERM. Signing keys are
// part of that state, so tokens issued before a restart still verify after it.
import t from 'tap'
import { jwtVerify } from 'jose'
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { addParticipant, advance, build, meeting, spawnServer, testKeys, tmpDb } from './helpers.js'

t.test('persistence: meetings, participants, webhooks, recordings and signing keys survive a restart', async (t) => {
  const dbPath = tmpDb(t)
  // No signingKeys: the server generates its own on first start and keeps them in the database.
  let s = await build(t, { dbPath, signingKeys: undefined, frozenAt: '2030-08-01T12:00:00.000Z' })
  const m = await meeting(s, { title: 'Persisted', record_on_start: true, persist_chat: true })
  const added = await addParticipant(s, m.id, { name: 'Pat', custom_participant_id: 'pat' })
  const { token, ...participant } = added
  const webhook = (await s.call('POST', '/v2/webhooks', { name: 'kept', url: 'https://example.com/kept', events: ['meeting.ended'], enabled: false })).json.data
  const recording = (await s.call('POST', '/v2/recordings', { meeting_id: m.id, file_name_prefix: 'kept' })).json.data
  const webhookKey = (await s.call('GET', '/.well-known/webhooks.json')).json.data.publicKey
  const jwtKey = (await s.app.dyte.keys.load('jwt')).publicPem
  t.equal(recording.status, 'INVOKED')
  await s.app.close()

  s = await build(t, { dbPath, signingKeys: undefined })
  t.same((await s.call('GET', '/_mock/clock')).json.data, { now: '2030-08-01T12:00:00.000Z', frozen: true }, 'the org clock')
  const gotMeeting = await s.call('GET', `/v2/meetings/${m.id}`)
  t.equal(gotMeeting.status, 200)
  t.same(gotMeeting.json.data, m, 'the meeting, every field')
  const gotParticipant = await s.call('GET', `/v2/meetings/${m.id}/participants/${added.id}`)
  t.equal(gotParticipant.status, 200)
  t.same(gotParticipant.json.data, participant, 'the participant')
  t.same((await s.call('GET', `/v2/webhooks/${webhook.id}`)).json.data, webhook, 'the webhook')
  t.same((await s.call('GET', '/v2/webhooks')).json.data, [webhook])
  t.same((await s.call('GET', `/v2/recordings/${recording.id}`)).json.data, recording, 'the recording')
  t.equal((await s.call('GET', `/v2/recordings/active-recordings/${m.id}`)).json.data.id, recording.id, 'still the active recording')
  t.equal((await s.call('POST', '/v2/recordings', { meeting_id: m.id })).status, 409, 'so a second start is still refused')

  t.equal((await s.app.dyte.keys.load('jwt')).publicPem, jwtKey, 'the token signing key was loaded, not made anew')
  t.equal((await s.call('GET', '/.well-known/webhooks.json')).json.data.publicKey, webhookKey, 'the webhook signing key too')
  const { publicKey } = await s.app.dyte.keys.load('jwt')
  const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date('2030-08-02T00:00:00Z') })
  t.match(payload, { orgId: 'org-a', meetingId: m.id, participantId: added.id })
  const joined = await s.call('POST', '/_mock/join', { token })
  t.equal(joined.status, 200, 'the token from before the restart is accepted')
  t.match(joined.json.data, { meeting_id: m.id, participant_id: added.id })

  // The scheduled INVOKED → RECORDING transition was kept as well.
  const advanced = await advance(s, 2)
  t.equal(advanced.status, 200)
  t.equal((await s.call('GET', `/v2/recordings/${recording.id}`)).json.data.status, 'RECORDING')
  await s.app.close()

  // Keys passed in are only a default: the database's own keys win.
  s = await build(t, { dbPath, signingKeys: testKeys() })
  t.equal((await s.app.dyte.keys.load('jwt')).publicPem, jwtKey, 'keys given at start do not replace stored ones')
  t.equal((await s.call('POST', '/_mock/join', { token })).status, 200)
})

/** Resolves with the exit code and signal once the process has exited. */
const exited = (child: ChildProcess) => new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode })
  else child.once('exit', (code, signal) => resolve({ code, signal }))
})

t.test('kill -9: every meeting acknowledged before a SIGKILL is there after a restart; SIGTERM exits 0', async (t) => {
  const dbPath = tmpDb(t)
  const children: ChildProcess[] = []
  t.teardown(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  })
  const start = async () => {
    const { child, base } = await spawnServer(dbPath)
    children.push(child)
    t.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'the listen line names the address')
    t.not(new URL(base).port, '0', '--port 0 picked a real port')
    return { child, base }
  }
  const headers = { authorization: 'Basic ' + Buffer.from('persist:key').toString('base64'), 'content-type': 'application/json' }

  let { child, base } = await start()
  // 40 writers in parallel; the process is killed the moment 400 writes have been acknowledged,
  // with writes still under way.
  const acked: { id: string, title: string }[] = []
  const refused: number[] = []
  let sent = 0
  let stop = false
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      try {
        sent++
        const res = await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: `w${w}-${i}` }) })
        if (res.status !== 201) { refused.push(res.status); continue }
        const { data } = await res.json() as { data: { id: string, title: string } }
        acked.push({ id: data.id, title: data.title })
        if (acked.length >= 400 && !stop) { stop = true; process.kill(child.pid!, 'SIGKILL') }
      } catch { return }
    }
  }
  await Promise.all(Array.from({ length: 40 }, (_, w) => writer(w)))
  t.same(await exited(child), { code: null, signal: 'SIGKILL' })
  t.ok(acked.length >= 400)
  t.same(refused, [], 'every write before the kill was acknowledged with a 201')

  ;({ child, base } = await start())
  const list = await (await fetch(`${base}/v2/meetings?per_page=1000`, { headers })).json() as any
  const N = list.paging.total_count
  t.ok(N >= acked.length && N <= sent, `all ${acked.length} acknowledged meetings were stored, and none that was not sent (${N} of ${sent} sent)`)
  const stored = new Map<string, string>(list.data.map((m: any) => [m.id, m.title]))
  t.same(acked.filter((m) => stored.get(m.id) !== m.title), [], 'every acknowledged meeting is there, with its title')
  const last = await fetch(`${base}/v2/meetings/${acked[acked.length - 1].id}`, { headers })
  t.equal(last.status, 200, 'the last write before the kill')

  // A graceful stop: SIGTERM closes the server and exits 0 within a few seconds, keeping its writes.
  const after = await (await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: 'after restart' }) })).json() as any
  const t0 = Date.now()
  child.kill('SIGTERM')
  t.same(await exited(child), { code: 0, signal: null }, 'SIGTERM exits with code 0')
  t.ok(Date.now() - t0 < 5000, `and promptly (${Date.now() - t0} ms)`)

  ;({ child, base } = await start())
  t.equal((await fetch(`${base}/v2/meetings/${after.data.id}`, { headers })).status, 200, 'a write before SIGTERM is kept')
  const count = (await (await fetch(`${base}/v2/meetings?per_page=1`, { headers })).json() as any).paging.total_count
  t.equal(count, N + 1)
  child.kill('SIGTERM')
  t.same(await exited(child), { code: 0, signal: null })
})

/** Resolves once the process has written `n` lines of output that match `pattern`. */
const logged = (child: ChildProcess, pattern: RegExp, n: number) => new Promise<void>((resolve) => {
  let seen = 0
  createInterface({ input: child.stdout! }).on('line', (line) => { if (pattern.test(line) && ++seen === n) resolve() })
})

t.test('SIGTERM ends a server promptly and cleanly while a long-poll waits and a client stalls mid-body', async (t) => {
  // At debug level the server logs every request as it arrives (before reading its body).
  const { child, base } = await spawnServer(tmpDb(t), ['--log-level', 'debug'])
  const arrived = logged(child, /"msg":"incoming request"/, 2)
  const headers = { authorization: 'Basic ' + Buffer.from('org-a:key').toString('base64') }
  const poll = fetch(`${base}/_mock/webhook-deliveries/wait?event=meeting.started&timeout_ms=60000`, { headers })
  // a request whose body never finishes
  const { hostname, port } = new URL(base)
  const { connect } = await import('node:net')
  const stalled = connect(Number(port), hostname)
  stalled.on('error', () => {})
  stalled.write(`POST /v2/meetings HTTP/1.1\r\nhost: x\r\nauthorization: ${headers.authorization}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"ti`)
  await arrived // both are in the server's hands
  const t0 = Date.now()
  child.kill('SIGTERM')
  const answer = await poll
  t.equal(answer.status, 503)
  t.same(await answer.json(), { success: false, error: { code: 503, message: 'dyte-mock is shutting down' } })
  t.same(await exited(child), { code: 0, signal: null }, 'exit code 0')
  t.ok(Date.now() - t0 < 3000, `within seconds (${Date.now() - t0} ms)`)
  stalled.destroy()
})
