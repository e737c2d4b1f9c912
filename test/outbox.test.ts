// The outbox: picking the next delivery of every webhook stays cheap however many are pending.
import t from 'tap'
import { openDb } from '../src/store/db.js'
import { createStore } from '../src/store/index.js'

function outbox (pending: number, webhooks: number) {
  const store = createStore(openDb(':memory:'))
  store.tx(() => {
    for (let i = 0; i < pending; i++) {
      store.deliveries.insert({
        id: `d${i}`, org_id: 'o', webhook_id: `w${i % webhooks}`, event_id: null, event_type: 'meeting.started', meeting_id: null,
        url: 'http://127.0.0.1:9/h', body: '{"event":"meeting.started"}', signature: null, status: 'pending', attempts: 0,
        next_attempt_at_ms: 0, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z',
      })
    }
  })
  return store
}

/** Median milliseconds of one heads() call. */
function median (store: ReturnType<typeof outbox>) {
  const times: number[] = []
  for (let i = 0; i < 101; i++) {
    const t0 = performance.now()
    store.deliveries.heads()
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[50]
}

t.test('heads: the oldest pending delivery of each webhook, oldest first', async (t) => {
  const store = outbox(30, 3)
  t.same(store.deliveries.heads().map((d) => d.id), ['d0', 'd1', 'd2'])
  const d0 = store.deliveries.get('o', 'd0')!
  store.deliveries.update({ ...d0, status: 'succeeded' })
  t.same(store.deliveries.heads().map((d) => d.id), ['d1', 'd2', 'd3'])
  t.same(outbox(0, 1).deliveries.heads(), [])
})

t.test('heads: the cost does not grow with the number of pending deliveries', async (t) => {
  const small = median(outbox(100, 1))
  const large = median(outbox(10_000, 1))
  // A scan of every pending row is ~100 times slower at 10,000 than at 100; index seeks are not.
  t.ok(large < small * 10 + 0.05, `10,000 pending: ${large.toFixed(3)} ms, 100 pending: ${small.toFixed(3)} ms`)
})
