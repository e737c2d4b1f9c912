// Requests refused before they reach a route, over a real socket: Node's parser refusals get Dyte's
// envelope, and a body over the limit gets a 413 that Node's fetch can read.
import t from 'tap'
import { connect } from 'node:net'
import { build, spawnServer, tmpDb } from './helpers.js'
import { DISCARD_LIMIT } from '../src/plugins/errors.js'

const headers = { authorization: 'Basic ' + Buffer.from('org-a:key').toString('base64'), 'content-type': 'application/json' }

/** Writes raw bytes to the server and resolves with everything it answers before it closes. */
function raw (base: string, request: string): Promise<string> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request))
    let out = ''
    socket.on('data', (chunk) => { out += chunk })
    socket.on('error', reject)
    socket.on('close', () => resolve(out))
  })
}

/** The status line and the JSON body of a raw HTTP answer. */
const parse = (answer: string) => ({ status: answer.split('\r\n')[0], json: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) })

t.test('client errors: headers over the limit are a 431, a malformed request a 400, in the envelope', async (t) => {
  const s = await build(t)
  const base = await s.app.listen({ port: 0, host: '127.0.0.1' })

  const huge = await fetch(`${base}/v2/meetings`, { headers: { ...headers, 'x-big': 'a'.repeat(40_000) } })
  t.equal(huge.status, 431)
  t.same(await huge.json(), { success: false, error: { code: 431, message: 'request headers (with the request line) are larger than the 16 KiB limit' } })

  const badHeader = parse(await raw(base, 'GET /v2/meetings HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n'))
  t.equal(badHeader.status, 'HTTP/1.1 400 Bad Request')
  t.same(badHeader.json, { success: false, error: { code: 400, message: 'the request is not valid HTTP/1.1: Invalid header token (HPE_INVALID_HEADER_TOKEN)' } })

  const badLine = parse(await raw(base, 'NOT A REQUEST LINE\r\n\r\n'))
  t.equal(badLine.status, 'HTTP/1.1 400 Bad Request')
  t.match(badLine.json, { success: false, error: { code: 400, message: /^the request is not valid HTTP\/1\.1: .+ \(HPE_[A-Z_]+\)$/ } })

  t.equal((await fetch(`${base}/v2/meetings`, { headers })).status, 200, 'the server keeps serving')
})

t.test('client errors: Node\'s fetch reads the 413 for a body over the limit, not EPIPE', async (t) => {
  // A server of its own process: in this one, the client's writes and the server's close share one event loop and race less.
  const { child, base } = await spawnServer(tmpDb(t))
  t.teardown(() => { child.kill('SIGKILL') })
  for (const size of [2, 8, 8, 8]) {
    const res = await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: JSON.stringify({ title: 'x'.repeat(size * 1024 * 1024) }) })
    t.equal(res.status, 413, `${size} MiB`)
    t.same(await res.json(), { success: false, error: { code: 413, message: 'body is larger than the 1 MiB limit' } })
  }
  t.ok(DISCARD_LIMIT >= 8 * 1024 * 1024, 'bodies up to the discard bound are read before the answer')
  t.equal((await fetch(`${base}/v2/meetings`, { method: 'POST', headers, body: '{"title":"fits"}' })).status, 201, 'the server keeps serving')
})
