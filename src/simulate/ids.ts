// Ids and secrets: random, or with --seed derived from the seed and a per-org counter, so that a
// run on a frozen clock that makes the same requests gets identical bodies.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { parse } from 'uuid'
import type { Store } from '../store/index.js'
import { nameUuid } from '../tokens.js'

const SEED_NAMESPACE = parse('1b671a64-40d5-491e-99b0-da01ff1f3341')

export type NewId = (orgId?: string) => string

export function createIds (store: Store, seed: string | undefined) {
  const newId: NewId = seed === undefined
    ? () => randomUUID()
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
