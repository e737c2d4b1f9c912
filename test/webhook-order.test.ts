// A webhook that has fallen behind has several deliveries under way at once, yet its receiver
// (a real HTTP server) sees them arrive in event order: they are pipelined over one connection.
import t from 'tap'
import { createServer as createHttpServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BEHIND_MS, DELIVERY_WINDOW } from '../src/simulate/deliver.js'
import { build, tmpDb } from './helpers.js'

const MANY = 200
const T0 = '2030-01-01T00:00:00.000Z'

/** Wall time that moves only when a test moves it (it tells how long deliveries have waited). */
function wallClock () {
  let ms = Date.parse(T0)
  return { wall: () => ms, wait: () => { ms += BEHIND_MS + 100 } }
}

/** Records the dyte-uuid of each request as it arrives; holds its answers while told to. */
async function holdingReceiver (answerBody = 'ok') {
  const arrived: string[] = []
  const held: ServerResponse[] = []
  const sockets = new Set<unknown>()
  let holding = true
  let answered = 0
  let mostBeforeAnswer = 0 // requests that had arrived, at most, while none of the window was answered
  const answer = (res: ServerResponse) => { answered++; res.writeHead(200, { 'content-type': 'text/plain' }).end(answerBody) }
  const server = createHttpServer((req, res) => {
    sockets.add(req.socket)
    arrived.push(String(req.headers['dyte-uuid']))
    for (const check of [...waiters]) check()
    req.resume()
    req.on('end', () => { if (holding) held.push(res); else answer(res) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const waiters = new Set<() => void>()
  /** Resolves once `n` requests have arrived (fails after 10 s). */
  const until = (n: number) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (arrived.length < n) return
      clearTimeout(timer)
      waiters.delete(check)
      resolve()
    }
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`receiver got ${arrived.length} of ${n} requests`)) }, 10_000)
    waiters.add(check)
    check()
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    arrived,
    until,
    connections: () => sockets.size,
    answered: () => answered,
    mostBeforeAnswer: () => mostBeforeAnswer,
    /** Answers what is held; with `hold`, keeps holding later requests. */
    release (hold: boolean) {
      holding = hold
      for (const res of held.splice(0)) answer(res)
    },
    /** Notes how many requests have arrived while none after the first was answered. */
    note () { if (answered <= 1) mostBeforeAnswer = Math.max(mostBeforeAnswer, arrived.length - 1) },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

t.test('a webhook that is behind: several deliveries under way at once, arriving in exact event order', async (t) => {
  const r = await holdingReceiver()
  t.teardown(r.close)
  const clock = wallClock()
  const s = await build(t, { frozenAt: T0, wall: clock.wall })
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ['meeting.started'] })).json.data
  const test = () => s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'meeting.started' })
  await test() // the first goes alone; its answer is held while the rest queue up
  await r.until(1)
  for (let i = 0; i < MANY; i++) await test()
  clock.wait()
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(r.arrived.length, 1, 'nothing else is sent while the first is under way')
  r.release(true) // a 2xx for the first: the webhook is behind and healthy, and gets its window
  await r.until(1 + DELIVERY_WINDOW)
  r.note()
  t.equal(r.mostBeforeAnswer(), DELIVERY_WINDOW, `${DELIVERY_WINDOW} arrived before any of them was answered`)
  r.release(false)
  await r.until(1 + MANY)
  await s.app.dyte.deliverer.settled()
  const list: Array<{ id: string, status: string }> = (await s.call('GET', '/_mock/webhook-deliveries?per_page=1000')).json.data
  t.equal(list.length, 1 + MANY, 'nothing lost')
  t.ok(list.every((d) => d.status === 'succeeded'), 'every delivery succeeded')
  t.equal(new Set(r.arrived).size, r.arrived.length, 'each dyte-uuid arrived once')
  t.same(r.arrived, list.map((d) => d.id), 'the receiver saw them in event order')
  t.equal(r.connections(), 1, 'over one keep-alive connection')
})

t.test('an answer with a long body: the excerpt is kept, the rest read and dropped, the connection kept for the next', async (t) => {
  const r = await holdingReceiver('x'.repeat(200 * 1024))
  t.teardown(r.close)
  r.release(false)
  const clock = wallClock()
  const s = await build(t, { frozenAt: T0, wall: clock.wall })
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ['meeting.started'] })).json.data
  for (let i = 0; i < 3; i++) await s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'meeting.started' })
  await r.until(3)
  await s.app.dyte.deliverer.settled()
  const list: Array<{ status: string, attempts: Array<{ response_excerpt: string }> }> = (await s.call('GET', '/_mock/webhook-deliveries')).json.data
  t.same(list.map((d) => [d.status, d.attempts[0].response_excerpt]), Array(3).fill(['succeeded', 'x'.repeat(512)]))
  t.equal(r.connections(), 1, 'one connection carried all three')
})

t.test('closing the server with a window under way: it closes promptly, and the deliveries stay pending', async (t) => {
  const dbPath = tmpDb(t)
  const r = await holdingReceiver()
  t.teardown(r.close)
  const clock = wallClock()
  let s = await build(t, { dbPath, frozenAt: T0, wall: clock.wall })
  const hook = (await s.call('POST', '/v2/webhooks', { name: 'all', url: r.url, events: ['meeting.started'] })).json.data
  const test = () => s.call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'meeting.started' })
  await test()
  await r.until(1)
  for (let i = 0; i < MANY; i++) await test()
  clock.wait()
  r.release(true)
  await r.until(1 + DELIVERY_WINDOW) // the window is under way, its answers held
  let timer: NodeJS.Timeout | undefined
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve('late'), 5_000) })
  t.equal(await Promise.race([s.app.close().then(() => 'closed'), late]), 'closed', 'close does not wait for the held answers')
  clearTimeout(timer)
  s = await build(t, { dbPath })
  const list: Array<{ status: string, attempts: unknown[] }> = (await s.call('GET', '/_mock/webhook-deliveries?per_page=1000')).json.data
  t.equal(list.length, 1 + MANY)
  t.same(list[0].status, 'succeeded')
  t.ok(list.slice(1).every((d) => d.status === 'pending' && d.attempts.length === 0), 'the rest are pending, no attempt recorded')
})
