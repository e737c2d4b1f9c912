// RSA key pairs generated on first start and kept in the database: one signs participant
// tokens (RS256 JWTs), the other signs webhook deliveries (RSA-SHA256), as Dyte does.
import { generateKeyPair, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Store } from './store/index.js'

const generate = promisify(generateKeyPair)

export interface KeyPair { privateKey: KeyObject, publicKey: KeyObject, publicPem: string }

export type KeyName = 'jwt' | 'webhook'

/**
 * Returns a loader per key name. A missing key is generated off the main thread, so the
 * server starts listening at once; the first caller waits for it.
 */
export function createKeys (store: Store, given: Partial<Record<KeyName, string>> = {}) {
  // Keys given by the caller (PEM, PKCS#8) are stored unless the database already has its own.
  for (const [name, pem] of Object.entries(given)) if (pem) store.meta.putIfAbsent(`${name}_private_key`, pem)
  const pending = new Map<KeyName, Promise<KeyPair>>()
  let closed = false
  const load = (name: KeyName): Promise<KeyPair> => {
    let p = pending.get(name)
    if (!p) {
      p = (async () => {
        let pem = store.meta.get(`${name}_private_key`)
        if (!pem) {
          const pair = await generate('rsa', { modulusLength: 2048 })
          if (closed) throw new Error('closed before the key was stored')
          pem = store.meta.putIfAbsent(`${name}_private_key`, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
        }
        const privateKey = createPrivateKey(pem)
        const publicKey = createPublicKey(privateKey)
        return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
      })()
      pending.set(name, p)
    }
    return p
  }
  return {
    load,
    /** Stops keys still being generated from being written to a closed database. */
    close: () => { closed = true },
  }
}

export type Keys = ReturnType<typeof createKeys>
