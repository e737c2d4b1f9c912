// Ids and secrets: random, or with --seed derived from the seed and a per-org counter, so that a
// run on a frozen clock that makes the same requests gets identical bodies.
import { createHash, createHmac, randomBytes, randomFillSync } from 'node:crypto'
import { parse } from 'uuid'
import type { Store } from '../store/index.js'
import { nameUuid } from '../tokens.js'

const SEED_NAMESPACE = parse('1b671a64-40d5-491e-99b0-da01ff1f3341')

export type NewId = (orgId?: string) => string

const POOL = 16 * 256
const pool = Buffer.alloc(POOL)
let at = POOL

/**
 * A random UUID in version 4's format whose first 48 bits are the wall clock in milliseconds (where
 * UUIDv7 puts them), the other 74 random. Every id column is a unique index: random ids land on
 * random pages of it, so each commit rewrote one page per new row; these land at its end, and a
 * commit of many rows writes a few pages. Ids therefore sort by when they were made.
 */
export function timeOrderedId (now = Date.now()): string {
  if (at === POOL) {
    randomFillSync(pool)
    at = 0
  }
  const b = pool.subarray(at, at += 16)
  b.writeUIntBE(now, 0, 6)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function createIds (store: Store, seed: string | undefined) {
  const newId: NewId = seed === undefined
    ? () => timeOrderedId()
    : (orgId = '') => nameUuid(`${seed}/${orgId}/${store.orgs.nextIdSeq(orgId)}`, SEED_NAMESPACE)
  return {
    /** A new id: random, or derived from --seed and a per-org counter so runs repeat exactly. */
    newId,
    /**
     * `n` (at most 32) unguessable bytes for secrets shown in responses (stream keys): random, or
     * with --seed derived from the next seeded id, so runs repeat exactly.
     */
    secretBytes: (orgId: string, n: number) => (seed === undefined
      ? randomBytes(n)
      : createHash('sha256').update(`secret/${newId(orgId)}`).digest().subarray(0, n)),
    /** Secret behind the signed file URLs (kept in the database; with --seed, derived from it on a new one). */
    urlSecret: store.meta.putIfAbsent('url_signing_secret', seed === undefined
      ? randomBytes(32).toString('base64url')
      : createHmac('sha256', seed).update('url_signing_secret').digest('base64url')),
  }
}

export type SecretBytes = ReturnType<typeof createIds>['secretBytes']
