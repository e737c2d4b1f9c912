// A real HTTP webhook receiver for tests: records every request with its raw body, verifies
// signatures as Dyte's docs show (crypto.createVerify('RSA-SHA256') over the raw body), and
// answers with a scripted sequence of status codes ('hang': never answers; 'stall': answers 200
// and part of a body, then never ends it).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createVerify } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { EventEmitter, once } from 'node:events'

export interface Received { headers: IncomingHttpHeaders, body: string, json: any, at: number }

export async function receiver (script: Array<number | 'hang' | 'stall'> = []) {
  const received: Received[] = []
  const arrivals = new EventEmitter()
  const hanging: Array<() => void> = []
  let next = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      received.push({ headers: req.headers, body, json: JSON.parse(body), at: Date.now() })
      arrivals.emit('request')
      const step = next < script.length ? script[next++] : 200
      if (step === 'hang') { hanging.push(() => res.destroy()); return }
      if (step === 'stall') { res.writeHead(200, { 'content-type': 'text/plain' }).write('accepted, still '); hanging.push(() => res.destroy()); return }
      res.writeHead(step, { 'content-type': 'text/plain' }).end(step < 300 ? 'ok' : 'receiver says no')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Resolves when `n` requests have arrived. */
    async until (n: number, timeoutMs = 5000) {
      const signal = AbortSignal.timeout(timeoutMs)
      while (received.length < n) {
        await once(arrivals, 'request', { signal }).catch(() => { throw new Error(`receiver got ${received.length} of ${n} requests`) })
      }
      return received
    },
    close: () => new Promise<void>((resolve) => {
      for (const h of hanging) h()
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

export function verifies (publicKeyPem: string, r: Received) {
  const verifier = createVerify('RSA-SHA256')
  verifier.update(r.body)
  return verifier.verify(publicKeyPem, String(r.headers['dyte-signature']), 'base64')
}
