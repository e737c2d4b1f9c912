// The org's shapes setting: /v2 answers in the served document's shapes (seed) or the live Dyte
// API's (live) for every operation whose shapes differ, and each answer matches its document.
import t from 'tap'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { addParticipant, advance, auth, build, join, meeting, spawnServer, type TestServer } from './helpers.js'
import { dereference, loadSpec, toJsonSchema } from '../src/spec.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const T0 = '2030-05-01T12:00:00.000Z'

t.test('every shape difference between the served and the live Dyte document has live responses (npm run check:shapes)', async (t) => {
  const { spawnSync } = await import('node:child_process')
  const run = spawnSync(process.execPath, ['scripts/live-shapes.mjs', '--check'], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
  for (const id of ['listSessions', 'getSession', 'listSessionParticipants', 'startRecording', 'getMeetingLivestreams']) t.match(run.stdout, ` | ${id} | `)
})

t.test('settings: seed by default, PATCH stores only shapes, a bad value is a 400', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const before = (await s.call('GET', '/_mock/settings')).json.data
  t.equal(before.shapes, 'seed')
  const p = await s.call('PATCH', '/_mock/settings', { shapes: 'live' })
  t.equal(p.status, 200)
  t.same(p.json.data, { ...before, shapes: 'live' }, 'every other setting is unchanged')
  t.equal((await s.call('GET', '/_mock/settings')).json.data.shapes, 'live')
  t.equal((await s.call('GET', '/_mock/settings', undefined, 'org-b')).json.data.shapes, 'seed', 'per org')
  const bad = await s.call('PATCH', '/_mock/settings', { shapes: 'dyte' })
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /shapes must be equal to one of the allowed values|shapes must be one of/)
})

t.test('the server option sets the shapes every org starts with', async (t) => {
  const s = await build(t, { frozenAt: T0, shapes: 'live' })
  t.equal((await s.call('GET', '/_mock/settings')).json.data.shapes, 'live')
  const r = await s.call('POST', '/v2/recordings', { meeting_id: (await meeting(s)).id })
  t.equal(r.status, 200, 'the live API answers 200')
  t.equal((await s.call('PATCH', '/_mock/settings', { shapes: 'seed' })).json.data.shapes, 'seed')
  const again = await s.call('POST', '/v2/recordings', { meeting_id: (await meeting(s)).id })
  t.equal(again.status, 201, 'the seed answers 201')
})

/** A session with a participant, a meeting livestream and a recording, an independent livestream that went live. */
async function world (s: TestServer) {
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  const j = (await join(s, m.id, p.id)).json.data
  await s.call('POST', `/v2/meetings/${m.id}/livestreams`, { name: 'show' })
  await advance(s, 3)
  const own = (await s.call('POST', '/v2/livestreams', { name: 'own' })).json.data
  await s.call('POST', `/_mock/livestreams/${own.id}/ingest`, { live: true })
  await advance(s, 60)
  await s.call('POST', `/_mock/livestreams/${own.id}/ingest`, { live: false })
  return { meetingId: m.id, sessionId: j.session_id as string, peerId: j.peer_id as string }
}

t.test('every operation whose shapes differ, answered in both shapes', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await world(s)
  // One request per operation with x-live-responses, and what its data looks like in each shape.
  const cases: Record<string, { method: 'GET' | 'POST', url: string, body?: unknown, seed: (r: any) => void, live: (r: any) => void }> = {
    listSessions: {
      method: 'GET', url: '/v2/sessions',
      seed: (r) => { t.ok(Array.isArray(r.json.data)); t.equal(r.json.data[0].id, w.sessionId) },
      live: (r) => { t.equal(r.json.data.sessions[0].id, w.sessionId); t.equal(r.json.paging.total_count, 1) },
    },
    getSession: {
      method: 'GET', url: `/v2/sessions/${w.sessionId}`,
      seed: (r) => t.equal(r.json.data.id, w.sessionId),
      live: (r) => { t.same(Object.keys(r.json.data), ['session']); t.equal(r.json.data.session.id, w.sessionId) },
    },
    listSessionParticipants: {
      method: 'GET', url: `/v2/sessions/${w.sessionId}/participants`,
      seed: (r) => { t.equal(r.json.data[0].id, w.peerId); t.equal(r.json.paging.total_count, 1) },
      live: (r) => { t.equal(r.json.data.participants[0].id, w.peerId); t.equal(r.json.data.paging.total_count, 1); t.notOk('paging' in r.json) },
    },
    startRecording: {
      method: 'POST', url: '/v2/recordings', body: { meeting_id: w.meetingId },
      seed: (r) => { t.equal(r.status, 201); t.equal(r.json.data.meeting_id, w.meetingId) },
      live: (r) => { t.equal(r.status, 200); t.equal(r.json.data.meeting_id, w.meetingId) },
    },
    getMeetingLivestreams: {
      method: 'GET', url: `/v2/meetings/${w.meetingId}/livestream`,
      seed: (r) => { t.ok(Array.isArray(r.json.data.sessions)); t.equal(r.json.data.sessions.length, 1) },
      live: (r) => { t.notOk(Array.isArray(r.json.data.sessions)); t.equal(r.json.data.sessions.livestream_id, r.json.data.livestreams[0].id) },
    },
    listAllLivestreams: {
      method: 'GET', url: '/v2/livestreams',
      seed: (r) => { t.same(r.json.data.map((l: any) => l.name), ['own', 'show']); t.equal(r.json.paging.total_count, 2) },
      live: (r) => { t.equal(r.json.data.name, 'own'); t.equal(r.json.data.paging.total_count, 2); t.notOk('paging' in r.json) },
    },
    listSessionLivestreamSessions: {
      method: 'GET', url: `/v2/sessions/${w.sessionId}/livestream-sessions`,
      seed: (r) => { t.equal(r.json.data.data.length, 1); t.equal(r.json.data.paging.total_count, 1) },
      live: (r) => { t.match(r.json.data, { livestream_id: String, paging: { total_count: 1 } }); t.notOk('data' in r.json.data) },
    },
    getLivestreamAnalyticsDaywise: {
      method: 'GET', url: '/v2/analytics/livestreams/daywise',
      seed: (r) => t.match(r.json.data, [{ date: '2030-05-01', count: Number }]),
      live: (r) => t.match(r.json.data, { date: '2030-05-01', count: Number }),
    },
    getPeerReport: {
      method: 'GET', url: `/v2/sessions/peer-report/${w.peerId}`,
      seed: (r) => t.ok(Array.isArray(r.json.data.participant.quality_stats)),
      live: (r) => { t.match(r.json.data.participant.quality_stats, { average_quality: Number }); t.notOk(Array.isArray(r.json.data.participant.quality_stats)) },
    },
  }
  const spec = loadSpec('dyte-v2.yaml')
  t.same(Object.keys(cases).sort(), spec.operations.filter((op) => op.live).map((op) => op.operationId).sort(), 'every operation with live shapes is walked')

  // The two documents Swagger UI serves: each answer must match the one for its shapes.
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
  const documents = {
    seed: dereference((await s.app.inject('/docs/json')).json()),
    live: dereference((await s.app.inject('/docs/live/json')).json()),
  }
  const check = (shapes: 'seed' | 'live', operationId: string, r: { status: number, json: unknown }) => {
    const op = spec.operations.find((o) => o.operationId === operationId)!
    const schema = documents[shapes].paths[op.path][op.method].responses[String(r.status)]?.content?.['application/json']?.schema
    t.ok(schema, `${shapes}: ${operationId} declares ${r.status}`)
    const validate = ajv.compile(toJsonSchema(schema)!)
    t.ok(validate(r.json), `${shapes}: ${operationId} matches its document ${ajv.errorsText(validate.errors)}`)
  }
  for (const shapes of ['seed', 'live', 'seed'] as const) {
    await s.call('PATCH', '/_mock/settings', { shapes })
    for (const [id, c] of Object.entries(cases)) {
      await t.test(`${shapes}: ${id}`, async () => {
        const r = await s.call(c.method, c.url, c.body)
        t.ok(r.status < 300, `${r.status} ${JSON.stringify(r.json)}`)
        c[shapes](r)
        check(shapes, id, r)
        if (id === 'startRecording') t.equal((await s.call('PUT', `/v2/recordings/${r.json.data.id}`, { action: 'stop' })).status, 200)
      })
    }
  }
})

t.test('live shapes of empty lists: only the paging, an empty day, no sessions', async (t) => {
  const s = await build(t, { frozenAt: T0, shapes: 'live' })
  const m = await meeting(s)
  const p = await addParticipant(s, m.id)
  const j = (await join(s, m.id, p.id)).json.data
  t.same((await s.call('GET', '/v2/livestreams')).json.data, { paging: { total_count: 0, start_offset: 0, end_offset: 0 } })
  t.same((await s.call('GET', `/v2/sessions/${j.session_id}/livestream-sessions`)).json.data, { paging: { total_count: 0, start_offset: 0, end_offset: 0 } })
  t.same((await s.call('GET', '/v2/analytics/livestreams/daywise')).json.data, {})
  t.same((await s.call('GET', `/v2/meetings/${m.id}/livestream`)).json.data, { livestreams: [], paging: { total_count: 0, start_offset: 0, end_offset: 0 } })
  t.same((await s.call('GET', '/v2/sessions?status=ENDED')).json.data, { sessions: [] })
})

t.test('live shapes leave errors, other orgs and RealtimeKit paths as they are', async (t) => {
  const s = await build(t, { frozenAt: T0 })
  const w = await world(s)
  await s.call('PATCH', '/_mock/settings', { shapes: 'live' })
  const missing = await s.call('GET', '/v2/sessions/00000000-0000-4000-8000-000000000000')
  t.equal(missing.status, 404)
  t.same(Object.keys(missing.json), ['success', 'error'])
  t.ok(Array.isArray((await s.call('GET', '/v2/sessions', undefined, 'org-b')).json.data), 'org-b keeps the seed shapes')
  const rtk = await s.app.inject({ url: `/accounts/a/realtime/kit/org-a/sessions/${w.sessionId}`, headers: { authorization: 'Bearer x' } })
  t.equal(rtk.json().data.id, w.sessionId, 'RealtimeKit keeps its own shape')
  t.ok(Array.isArray((await s.call('GET', '/v2/meetings')).json.data), 'an operation without live shapes is unchanged')
})

t.test('Swagger UI offers both documents', async (t) => {
  const s = await build(t)
  const init = await s.app.inject('/docs/static/swagger-initializer.js')
  t.match(init.body, '"url":"/docs/live/json"')
  t.match(init.body, '"queryConfigEnabled":true')
  const page = await s.app.inject('/docs/live')
  t.equal(page.statusCode, 302)
  t.equal(page.headers.location, '/docs?urls.primaryName=live', 'opens the page on the live document')
  const live = (await s.app.inject('/docs/live/json')).json()
  t.same(Object.keys(live.paths['/sessions'].get.responses['200'].content['application/json'].schema.properties.data.properties), ['sessions'])
  t.notOk('x-live-responses' in live.paths['/sessions'].get)
  t.equal(live.paths['/recordings'].post.responses['201'], undefined)
  t.ok(live.paths['/recordings'].post.responses['200'])
  const seed = (await s.app.inject('/docs/json')).json()
  t.ok(seed.paths['/recordings'].post.responses['201'])
  t.same(Object.keys(live.paths), Object.keys(seed.paths), 'the same operations, the control plane too')
})

t.test('--shapes (DYTE_MOCK_SHAPES) takes seed or live; --help lists it', async (t) => {
  const { spawnSync } = await import('node:child_process')
  const bad = spawnSync(process.execPath, ['dist/src/main.js', '--db', ':memory:', '--shapes', 'real'], { encoding: 'utf8' })
  t.equal(bad.status, 2)
  t.match(bad.stderr, /--shapes must be seed or live, got 'real'/)
  const badEnv = spawnSync(process.execPath, ['dist/src/main.js', '--db', ':memory:'], { encoding: 'utf8', env: { ...process.env, DYTE_MOCK_SHAPES: 'Live' } })
  t.equal(badEnv.status, 2)
  const help = spawnSync(process.execPath, ['dist/src/main.js', '--help'], { encoding: 'utf8' })
  t.match(help.stdout, /--shapes <seed\|live> DYTE_MOCK_SHAPES/)
  const { child, base } = await spawnServer(':memory:', ['--shapes', 'live'])
  t.teardown(() => { child.kill() })
  const settings = await (await fetch(`${base}/_mock/settings`, { headers: auth() })).json()
  t.equal(settings.data.shapes, 'live')
})
