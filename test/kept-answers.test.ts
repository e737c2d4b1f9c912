// Answers kept while the data version holds (plugins/kept-answers.ts): a meeting or a page of
// meetings read again before anything is written is answered from memory, and a write or a reset
// in between is seen by the next read.
import t from 'tap'
import { build } from './helpers.js'

t.test('kept answers: a second read before any write does not reach the store, and answers the same body', async (t) => {
  const s = await build(t)
  const m = (await s.call('POST', '/v2/meetings', { title: 'Kept' })).json.data
  const get = s.app.dyte.store.meetings.get
  let reads = 0
  s.app.dyte.store.meetings.get = (...args) => { reads++; return get(...args) }
  const first = await s.call('GET', `/v2/meetings/${m.id}`)
  const second = await s.call('GET', `/v2/meetings/${m.id}`)
  t.equal(first.status, 200)
  t.same(second.json, first.json)
  t.equal(second.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(reads, 1, 'the second answer was the kept one')
  t.same(s.violations, [], 'the kept answer still matches the spec')
})

t.test('kept answers: a write, a reset and another org each get a fresh answer', async (t) => {
  const s = await build(t)
  const m = (await s.call('POST', '/v2/meetings', { title: 'Before' })).json.data
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).json.data.title, 'Before')
  t.equal((await s.call('GET', '/v2/meetings?per_page=5')).json.data[0].title, 'Before')
  await s.call('PATCH', `/v2/meetings/${m.id}`, { title: 'After' })
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).json.data.title, 'After', 'by id')
  t.equal((await s.call('GET', '/v2/meetings?per_page=5')).json.data[0].title, 'After', 'in a page')
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`, undefined, 'org-b')).status, 404, 'another org does not get it')
  await s.call('POST', '/v2/meetings', { title: 'Second' })
  t.equal((await s.call('GET', '/v2/meetings?per_page=5')).json.paging.total_count, 2, 'a new row is counted')
  t.equal((await s.call('POST', '/_mock/reset')).status, 200)
  t.equal((await s.call('GET', `/v2/meetings/${m.id}`)).status, 404, 'gone the moment reset answers')
  t.equal((await s.call('GET', '/v2/meetings?per_page=5')).json.paging.total_count, 0)
})

t.test('kept answers: a different query is a different answer', async (t) => {
  const s = await build(t)
  for (const title of ['a', 'b', 'c']) await s.call('POST', '/v2/meetings', { title })
  const one = await s.call('GET', '/v2/meetings?per_page=1')
  const two = await s.call('GET', '/v2/meetings?per_page=2')
  t.equal(one.json.data.length, 1)
  t.equal(two.json.data.length, 2)
  const bad = await s.call('GET', '/v2/meetings?per_page=0')
  t.equal(bad.status, 400, 'validation still runs before a kept answer could be served')
})
