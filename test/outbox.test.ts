// The outbox: picking the next delivery of every webhook (its cost at scale is in bench/run.ts).
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

t.test('heads: the oldest pending delivery of each webhook, oldest first', async (t) => {
  const store = outbox(30, 3)
  t.same(store.deliveries.heads().map((d) => d.id), ['d0', 'd1', 'd2'])
  const d0 = store.deliveries.get('o', 'd0')!
  store.deliveries.update({ ...d0, status: 'succeeded' })
  t.same(store.deliveries.heads().map((d) => d.id), ['d1', 'd2', 'd3'])
  t.same(outbox(0, 1).deliveries.heads(), [])
})
