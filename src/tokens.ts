// Participant auth tokens: RS256 JWTs with the claims Dyte puts in them.
import { parse, v5 } from 'uuid'
import type { Keys } from './keys.js'

// jose is loaded on the first token, not at start-up (it is a large module graph).
const jose = () => import('jose')

const TOKEN_TTL_S = 100 * 24 * 3600 // Dyte's tokens live 100 days
const PRESET_NAMESPACE = parse('5b1f6a8e-6a57-4d3e-9b5c-2f0b7c4e9d21')

/** A stable id for a preset name that no longer names a stored preset (e.g. after it was deleted). */
export const presetId = (orgId: string, presetName: string) => nameUuid(`${orgId}/${presetName}`, PRESET_NAMESPACE)

/** A name-based (version 5, SHA-1) UUID, as RFC 9562 defines it; a namespace parsed once (uuid's parse) saves a parse per id. */
export const nameUuid = (name: string, namespace: string | Uint8Array) => v5(name, namespace)

export interface TokenClaims { orgId: string, meetingId: string, participantId: string, presetId: string, iat: number, exp: number }

export function createTokens (keys: Keys) {
  return {
    async sign (c: { orgId: string, meetingId: string, participantId: string, presetId: string }, nowMs: number) {
      const { privateKey } = await keys.load('jwt')
      const { SignJWT } = await jose()
      const iat = Math.floor(nowMs / 1000)
      return new SignJWT({ orgId: c.orgId, meetingId: c.meetingId, participantId: c.participantId, presetId: c.presetId })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + TOKEN_TTL_S)
        .sign(privateKey)
    },
    /** Verifies signature and expiry against the given time. Throws on an invalid token. */
    async verify (token: string, nowMs: number): Promise<TokenClaims> {
      const { publicKey } = await keys.load('jwt')
      const { jwtVerify } = await jose()
      const { payload } = await jwtVerify(token, publicKey, { algorithms: ['RS256'], currentDate: new Date(nowMs) })
      return payload as unknown as TokenClaims
    },
  }
}

export type Tokens = ReturnType<typeof createTokens>
