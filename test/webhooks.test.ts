// Webhook subscriptions: create (and its validation), list, get, PATCH with any subset of
// fields, PUT and delete. Delivery is covered by webhook-delivery.test.ts.
import t from 'tap'
import { advance, build, type TestServer } from './helpers.js'

const T0 = '2030-07-01T00:00:00.000Z'
const NOBODY = '00000000-0000-4000-8000-000000000000'
const EVENTS = ['meeting.started', 'meeting.ended', 'meeting.participantJoined', 'meeting.participantLeft', 'meeting.chatSynced',
  'recording.statusUpdate', 'livestreaming.statusUpdate', 'meeting.transcript', 'meeting.summary']

async function create (s: TestServer, body: Record<string, unknown> = {}, org?: string) {
  const res = await s.call('POST', '/v2/webhooks', { name: 'hook', url: 'https://example.com/hook', events: ['meeting.started'], ...body }, org)
  if (res.status !== 201) throw new Error(`createWebhook: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json.data as { id: string, [k: string]: any }
}
const list = async (s: TestServer, org?: string) => (await s.call('GET', '/v2/webhooks', undefined, org)).json.data as any[]

t.test('createWebhook: 201 with the webhook, enabled by default', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const res = await s.call('POST', '/v2/webhooks', { name: 'All events', url: 'https://example.com/dyte', events: EVENTS })
  t.equal(res.status, 201)
  t.equal(res.json.success, true)
  const w = res.json.data
  t.match(w.id, /^[0-9a-f-]{36}$/)
  t.same(w, { id: w.id, name: 'All events', url: 'https://example.com/dyte', events: EVENTS, enabled: true, created_at: T0, updated_at: T0 },
    'all 9 event names are accepted, meeting.chatSynced, meeting.transcript and meeting.summary included')
  t.same((await s.call('GET', `/v2/webhooks/${w.id}`)).json.data, w, 'stored as returned')

  const off = await create(s, { name: 'Off', enabled: false, events: ['meeting.summary'] })
  t.equal(off.enabled, false, 'enabled: false is kept')
  t.equal((await s.call('GET', `/v2/webhooks/${off.id}`)).json.data.enabled, false)
})

t.test('createWebhook: name, url and events are required and checked', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const good = { name: 'hook', url: 'https://example.com/hook', events: ['meeting.ended'] }
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no name', { url: good.url, events: good.events }, /body must have required property 'name'/],
    ['no url', { name: 'hook', events: good.events }, /body must have required property 'url'/],
    ['no events', { name: 'hook', url: good.url }, /body must have required property 'events'/],
    ['empty name', { ...good, name: '' }, /body\/name must NOT have fewer than 1 characters/],
    ['empty events', { ...good, events: [] }, /body\/events must NOT have fewer than 1 items/],
    ['unknown event', { ...good, events: ['meeting.ended', 'meeting.exploded'] }, /body\/events\/1 must be one of: meeting\.started, .*meeting\.summary/],
    ['repeated event', { ...good, events: ['meeting.ended', 'meeting.ended'] }, /body\/events must NOT have duplicate items/],
    ['events not a list', { ...good, events: 'meeting.ended' }, /body\/events must be array/],
    ['relative url', { ...good, url: 'not a url' }, /body\/url must match format "uri"/],
    ['enabled not a boolean', { ...good, enabled: 'yes' }, /body\/enabled must be boolean/],
  ]
  for (const [what, body, message] of cases) {
    const res = await s.call('POST', '/v2/webhooks', body)
    t.equal(res.status, 400, `${what} is a 400`)
    t.equal(res.json.success, false)
    t.match(res.json.error?.message, message, what)
  }
  t.equal((await s.call('POST', '/v2/webhooks')).status, 400, 'no body')
  t.same(await list(s), [], 'nothing was created')
})

t.test('listWebhooks: the org\'s webhooks in the order they were made, without paging', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const empty = await s.call('GET', '/v2/webhooks')
  t.equal(empty.status, 200)
  t.same(empty.json, { success: true, data: [] })
  const a = await create(s, { name: 'a' })
  const b = await create(s, { name: 'b' })
  const c = await create(s, { name: 'c' })
  const theirs = await create(s, { name: 'theirs' }, 'org-b')
  const res = await s.call('GET', '/v2/webhooks')
  t.same(res.json.data, [a, b, c])
  t.notOk('paging' in res.json, 'no paging key')
  t.same((await list(s, 'org-b')).map((w) => w.id), [theirs.id], 'orgs are isolated')
})

t.test('getWebhook: 200 with the webhook; 404 unknown or another org\'s; 400 malformed id', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await create(s)
  const got = await s.call('GET', `/v2/webhooks/${w.id}`)
  t.equal(got.status, 200)
  t.same(got.json, { success: true, data: w })
  const missing = await s.call('GET', `/v2/webhooks/${NOBODY}`)
  t.equal(missing.status, 404)
  t.same(missing.json, { success: false, error: { code: 404, message: `No webhook found with id ${NOBODY}` } })
  t.equal((await s.call('GET', `/v2/webhooks/${w.id}`, undefined, 'org-b')).status, 404)
  t.equal((await s.call('GET', '/v2/webhooks/hook-1')).status, 400)
})

t.test('updateWebhook: PATCH changes only the fields sent', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await create(s, { name: 'before', url: 'https://example.com/a', events: ['meeting.started', 'meeting.ended'] })
  const other = await create(s, { name: 'untouched' })
  const patch = async (body: unknown) => {
    await advance(s, 60)
    const res = await s.call('PATCH', `/v2/webhooks/${w.id}`, body)
    t.equal(res.status, 200, `PATCH ${JSON.stringify(body)}`)
    t.same((await s.call('GET', `/v2/webhooks/${w.id}`)).json.data, res.json.data, 'the change is stored')
    return res.json.data
  }

  const named = await patch({ name: 'after' })
  t.same(named, { ...w, name: 'after', updated_at: '2030-07-01T00:01:00.000Z' }, 'name only')
  const disabled = await patch({ enabled: false })
  t.same(disabled, { ...named, enabled: false, updated_at: '2030-07-01T00:02:00.000Z' }, 'enabled only')
  const moved = await patch({ url: 'https://example.org/b' })
  t.same(moved, { ...disabled, url: 'https://example.org/b', updated_at: '2030-07-01T00:03:00.000Z' }, 'url only')
  const events = await patch({ events: ['meeting.transcript', 'meeting.chatSynced'] })
  t.same(events, { ...moved, events: ['meeting.transcript', 'meeting.chatSynced'], updated_at: '2030-07-01T00:04:00.000Z' }, 'events only')
  const both = await patch({ name: 'both', enabled: true })
  t.same(both, { ...events, name: 'both', enabled: true, updated_at: '2030-07-01T00:05:00.000Z' }, 'two fields')
  const nothing = await patch({})
  t.same(nothing, { ...both, updated_at: '2030-07-01T00:06:00.000Z' }, 'an empty patch changes no field')
  t.equal(w.created_at, nothing.created_at, 'created_at never changes')
  t.same((await s.call('GET', `/v2/webhooks/${other.id}`)).json.data, other, 'other webhooks are untouched')
})

t.test('updateWebhook: a bad field is a 400 and changes nothing; unknown id 404', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await create(s)
  for (const [what, body] of [
    ['empty events', { events: [] }], ['unknown event', { events: ['meeting.paused'] }], ['bad url', { url: 'example' }],
    ['empty name', { name: '' }], ['null name', { name: null }], ['enabled as text', { enabled: 'false' }],
  ] as const) {
    const res = await s.call('PATCH', `/v2/webhooks/${w.id}`, body)
    t.equal(res.status, 400, `${what} is a 400`)
    t.match(res.json.error.message, /^body\//)
  }
  t.equal((await s.call('PATCH', `/v2/webhooks/${w.id}`)).status, 400, 'no body')
  t.same((await s.call('GET', `/v2/webhooks/${w.id}`)).json.data, w, 'nothing changed')
  const missing = await s.call('PATCH', `/v2/webhooks/${NOBODY}`, { name: 'x' })
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, `No webhook found with id ${NOBODY}`)
  t.equal((await s.call('PATCH', `/v2/webhooks/${w.id}`, { name: 'x' }, 'org-b')).status, 404, 'another org cannot change it')
})

t.test('replaceWebhook: PUT sets every field; enabled defaults to true again', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await create(s, { enabled: false })
  const res = await s.call('PUT', `/v2/webhooks/${w.id}`, { name: 'new', url: 'https://example.net/x', events: ['recording.statusUpdate'] })
  t.equal(res.status, 200)
  t.same(res.json.data, { ...w, name: 'new', url: 'https://example.net/x', events: ['recording.statusUpdate'], enabled: true })
  t.equal((await s.call('PUT', `/v2/webhooks/${w.id}`, { name: 'only a name' })).status, 400, 'PUT needs the whole body')
  t.equal((await s.call('PUT', `/v2/webhooks/${NOBODY}`, { name: 'n', url: 'https://e.x', events: ['meeting.ended'] })).status, 404)
})

t.test('deleteWebhook: returns the deleted webhook; it is gone afterwards', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await create(s, { name: 'doomed', events: ['meeting.summary', 'meeting.ended'] })
  const keep = await create(s, { name: 'kept' })
  const res = await s.call('DELETE', `/v2/webhooks/${w.id}`)
  t.equal(res.status, 200)
  t.same(res.json, { success: true, message: 'Webhook deleted', data: w })

  const gone = await s.call('GET', `/v2/webhooks/${w.id}`)
  t.equal(gone.status, 404)
  t.equal(gone.json.error.message, `No webhook found with id ${w.id}`)
  t.same(await list(s), [keep])
  t.equal((await s.call('DELETE', `/v2/webhooks/${w.id}`)).status, 404, 'deleting twice is a 404')
  t.equal((await s.call('PATCH', `/v2/webhooks/${w.id}`, { name: 'zombie' })).status, 404, 'and it cannot be patched')
  t.equal((await s.call('DELETE', `/v2/webhooks/${keep.id}`, undefined, 'org-b')).status, 404, 'another org cannot delete it')
  t.same(await list(s), [keep])
})
