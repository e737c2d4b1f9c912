// Webhook signatures (RSA-SHA256 over the exact body, base64), made in libuv's thread pool rather
// than on the event loop, once per body: every webhook subscribed to an event gets the same bytes,
// so they share one signature, and it is started when the event is queued, so it is ready by the
// time the delivery goes out. The most recent bodies' signatures are kept; an older one is made again.
import { sign } from 'node:crypto'
import type { Keys } from '../keys.js'

export const SIGNATURES_KEPT = 2048

export function createSignatures (keys: Keys, kept = SIGNATURES_KEPT) {
  const made = new Map<string, Promise<string>>() // body → its signature, oldest first
  return function signature (body: string): Promise<string> {
    let p = made.get(body)
    if (p === undefined) {
      p = keys.load('webhook').then(({ privateKey }) => new Promise<string>((resolve, reject) => {
        sign('RSA-SHA256', Buffer.from(body), privateKey, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64'))))
      }))
      const mine = p
      p.catch(() => { if (made.get(body) === mine) made.delete(body) })
      made.set(body, p)
      if (made.size > kept) made.delete(made.keys().next().value!)
    }
    return p
  }
}
