// A webhook that has fallen behind gets several deliveries under way at once, started in event
// order, while its receiver answers 2xx; one at a time otherwise, and after a failure, so a retry
// goes before anything newer.
import t, { type Test } from 'tap'
import { createServer } from '../src/server.js'
import type { Send } from '../src/simulate/send.js'
import { BACKLOG, BEHIND_MS, DELIVERY_WINDOW } from '../src/simulate/deliver.js'
import { auth, testKeys } from './helpers.js'

/** More deliveries than fit in the window. */
const MANY = DELIVERY_WINDOW + 24

/** A receiver that answers only when told to: it shows how many attempts are under way at once. */
function slowReceiver (statuses: number[] = []) {
  const sent: Array<{ uuid: string, answer: (status?: number) => void }> = []
  let underWay = 0
  let most = 0
  const send: Send = (_url, init) => new Promise((resolve) => {
    underWay++
    most = Math.max(most, underWay)
    const status = statuses.shift() ?? 200
    sent.push({ uuid: init.headers['dyte-uuid'], answer: () => { underWay--; resolve(new Response('ok', { status })) } })
  })
  return { send, sent, most: () => most }
}

/** Answers every attempt as it arrives until `total` have been sent and answered. */
async function answerAll (r: ReturnType<typeof slowReceiver>, total: number) {
  let answered = 0
  while (answered < total) {
    for (const x of r.sent.splice(0)) { x.answer(); answered++ }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

async function server (t: Test, send: Send) {
  // Wall time, which tells how long deliveries have waited, moves only when a test moves it.
  let wallMs = Date.parse('2030-01-01T00:00:00.000Z')
  const app = await createServer({ dbPath: ':memory:', logLevel: 'silent', signingKeys: testKeys(), deliver: send, wall: () => wallMs })
  t.teardown(() => app.close())
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => (await app.inject({
    method, url, headers: { ...auth(), 'content-type': 'application/json' }, payload: JSON.stringify(body ?? {}),
  })).json()
  await call('POST', '/_mock/clock', { frozen: true, now: '2030-01-01T00:00:00.000Z' })
  const hook = (await call('POST', '/v2/webhooks', { name: 'all', url: 'http://127.0.0.1:9/hooks', events: ['meeting.started'] })).data
  const test = () => call('POST', `/_mock/webhooks/${hook.id}/test`, { event: 'meeting.started' })
  const order = async () => (await call('GET', '/_mock/webhook-deliveries?per_page=1000')).data.map((d: { id: string }) => d.id)
  const until = async (cond: () => boolean) => { while (!cond()) await new Promise((resolve) => setImmediate(resolve)) }
  /** Lets more than BEHIND_MS of wall time pass. */
  const wait = () => { wallMs += BEHIND_MS + 100 }
  /** One turn of the event loop: the deliverer's pending pass has run. */
  const turn = () => new Promise((resolve) => setImmediate(resolve))
  return { app, call, test, order, until, wait, turn }
}

t.test('a receiver that answers 2xx has several deliveries under way at once, sent in event order', async (t) => {
  const r = slowReceiver()
  const s = await server(t, r.send)
  await s.test() // the first goes alone: nothing is known about the receiver yet
  await s.until(() => r.sent.length === 1)
  for (let i = 0; i < MANY; i++) await s.test()
  s.wait()
  t.equal(r.sent.length, 1, 'nothing else is sent while the first is under way')
  r.sent[0].answer()
  await s.until(() => r.sent.length === 1 + DELIVERY_WINDOW)
  t.equal(r.most(), DELIVERY_WINDOW, `after a 2xx, up to ${DELIVERY_WINDOW} at once`)
  await answerAll(r, MANY + 1)
  await s.app.dyte.deliverer.settled()
  const list = await s.call('GET', '/_mock/webhook-deliveries?per_page=1000')
  t.equal(list.data.length, MANY + 1)
  t.ok(list.data.every((d: { status: string }) => d.status === 'succeeded'), 'every delivery succeeded')
})

t.test('the order deliveries are sent in is the order of their events', async (t) => {
  const sentOrder: string[] = []
  const r = slowReceiver()
  const send: Send = (url, init) => { sentOrder.push(init.headers['dyte-uuid']); return r.send(url, init) }
  const s = await server(t, send)
  await s.test()
  await s.until(() => r.sent.length === 1)
  for (let i = 0; i < MANY; i++) await s.test()
  s.wait()
  await answerAll(r, MANY + 1)
  t.ok(r.most() > 1, 'several were under way at once')
  await s.app.dyte.deliverer.settled()
  t.same(sentOrder, await s.order())
})

t.test('a webhook with fewer than BACKLOG deliveries waiting gets one at a time, however long they wait', async (t) => {
  const r = slowReceiver()
  const s = await server(t, r.send)
  await s.test()
  await s.until(() => r.sent.length === 1)
  for (let i = 1; i < BACKLOG; i++) await s.test()
  s.wait()
  await answerAll(r, BACKLOG)
  await s.app.dyte.deliverer.settled()
  t.equal(r.most(), 1)
})

t.test('after a failed attempt a webhook gets one delivery at a time, its retry first', async (t) => {
  const r = slowReceiver([200, 500])
  const s = await server(t, r.send)
  await s.test()
  await s.until(() => r.sent.length === 1)
  for (let i = 0; i < MANY; i++) await s.test()
  s.wait()
  r.sent.shift()!.answer() // 200: the receiver is healthy, and the webhook is behind
  await s.until(() => r.sent.length === DELIVERY_WINDOW)
  const failing = r.sent[0].uuid // answered 500
  for (const x of r.sent.splice(0)) x.answer()
  await s.app.dyte.deliverer.settled()
  await s.turn()
  t.equal(r.sent.length, 0, 'newer deliveries wait behind the one that waits for its retry')
  await s.call('POST', '/_mock/clock/advance', { seconds: 5 })
  await s.until(() => r.sent.length === 1)
  t.equal(r.sent[0].uuid, failing, 'the retry goes first, alone')
  await s.turn()
  t.equal(r.sent.length, 1, 'one at a time until an attempt succeeds')
  await answerAll(r, MANY - DELIVERY_WINDOW + 1)
  await s.app.dyte.deliverer.settled()
  const list = (await s.call('GET', '/_mock/webhook-deliveries?per_page=1000')).data
  t.ok(list.every((d: { status: string }) => d.status === 'succeeded'), 'all delivered')
})
