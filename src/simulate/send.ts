// What POSTs a webhook delivery. Its own module, so the package's public types (ServerOptions)
// name it without reaching the store.
//
// The default sender keeps one keep-alive connection per webhook and receiver origin (undici's
// Client) and pipelines requests over it: they are written in the order they are sent, so the
// receiver's HTTP server reads a webhook's deliveries in event order even when several are under
// way at once. Redirects are not followed (the 3xx is the answer).
import type { Client, Dispatcher } from 'undici'
import { undici } from '../lazy.js'

/** The answer to a delivery: its status, and its body for an excerpt (fetch's Response is one). */
export interface Answer { status: number, body: ReadableStream<Uint8Array> | null }

/** fetch, or a stand-in (tests capture deliveries in memory with one). */
export type Send = (url: string, init: RequestInit & { body: string, headers: Record<string, string> }) => Promise<Answer>

/** Clients (connections) kept open at most; the least recently used one is closed past it. */
const CLIENTS = 64
/** How long an idle connection is kept (a receiver's own Keep-Alive hint wins when shorter). */
const KEEP_ALIVE_MS = 4_000
/** After the excerpt, the rest of an answer's body is read and dropped, up to this much for this long. */
const DRAIN_BYTES = 256 * 1024
const DRAIN_MS = 1_000

export function createSender ({ pipelining }: { pipelining: number }) {
  const clients = new Map<string, Client>() // webhook id and origin → its connection, least recently used first
  const closing = new Set<Client>()
  let closed = false

  const clientFor = (key: string, origin: string) => {
    let client = clients.get(key)
    if (client) clients.delete(key)
    else client = new (undici().Client)(origin, { pipelining, keepAliveTimeout: KEEP_ALIVE_MS })
    clients.set(key, client)
    for (const [k, old] of clients) {
      if (clients.size <= CLIENTS) break
      clients.delete(k)
      retire(old)
    }
    return client
  }
  const retire = (client: Client) => {
    closing.add(client)
    client.close().catch(() => {}).finally(() => closing.delete(client))
  }

  const send: Send = async (url, init) => {
    if (closed) throw new Error('the server is closing')
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw Object.assign(new Error('fetch failed'), { cause: new Error(`unknown scheme ${u.protocol}`) })
    // The ports fetch refuses to use: deliveries to them fail as they did with fetch.
    if (undici().badPortsSet.has(u.port)) throw Object.assign(new Error('fetch failed'), { cause: new Error('bad port') })
    const client = clientFor(`${init.headers['dyte-webhook-id'] ?? ''} ${u.origin}`, u.origin)
    const res = await client.request({
      method: 'POST',
      path: `${u.pathname}${u.search}`,
      headers: init.headers,
      body: init.body,
      // A delivery carries dyte-uuid, so sending it again is safe; undici pipelines only idempotent requests.
      idempotent: true,
      signal: init.signal ?? undefined,
    })
    return { status: res.statusCode, body: webBody(res.body) }
  }

  return {
    send,
    /** Closes every connection at once (attempts under way are aborted by their callers first). */
    async close () {
      closed = true
      const all = [...clients.values(), ...closing]
      clients.clear()
      await Promise.all(all.map((c) => c.destroy().catch(() => {})))
    },
  }
}

type Body = Dispatcher.ResponseData['body']

/**
 * The body as a web stream for the excerpt reader. Once it is cancelled the rest is read and
 * dropped, so the connection can carry the next answer; a body that is too long or never ends
 * is cut off, and its connection with it.
 */
function webBody (body: Body): ReadableStream<Uint8Array> {
  let open = true
  let drained = 0
  let timer: NodeJS.Timeout | undefined
  body.on('close', () => clearTimeout(timer))
  return new ReadableStream<Uint8Array>({
    start (c) {
      body.on('data', (chunk: Buffer) => {
        if (open) c.enqueue(new Uint8Array(chunk))
        else if ((drained += chunk.length) > DRAIN_BYTES) body.destroy()
      })
      body.on('end', () => { if (open) c.close() })
      body.on('error', (err: Error) => { if (open) c.error(err) })
    },
    cancel () {
      open = false
      if (!body.readableEnded) timer = setTimeout(() => body.destroy(), DRAIN_MS).unref()
    },
  })
}
