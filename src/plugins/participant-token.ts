// Dyte's `Bearer` scheme on /recordings: a participant's auth token (the JWT returned when the
// participant was added) stands in for the org's Basic credentials, on the operations the spec
// marks with `participantBearer`, for a participant whose preset may record.
import type { FastifyRequest } from 'fastify'
import type { Context } from '../context.js'
import { forbidden, unauthorized } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The participant whose token authenticated the request (participantBearer operations only), else null. */
    participant: { id: string, meetingId: string, name: string | null } | null
  }
}

/** The claims' org, read before the signature is checked: its clock decides whether the token has expired. */
function claimedOrg (token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { orgId?: unknown }
    return typeof claims.orgId === 'string' && claims.orgId ? claims.orgId : undefined
  } catch {
    return undefined
  }
}

/**
 * Checks a participant token and makes its org the request's: a token that is malformed, forged,
 * expired on its org's clock, or whose participant was deleted is a 401; a participant whose
 * preset may not record (`permissions.can_record`) is a 403.
 */
export function participantTokens (dyte: Pick<Context, 'store' | 'tokens' | 'clock'>) {
  return async function checkParticipantToken (req: FastifyRequest, token: string) {
    const orgId = claimedOrg(token)
    if (orgId === undefined) throw unauthorized('Invalid participant token: it is not a JWT with an orgId claim')
    let claims
    try {
      claims = await dyte.tokens.verify(token, dyte.clock.now(orgId))
    } catch (err) {
      throw unauthorized(`Invalid participant token: ${(err as Error).message}`)
    }
    const participant = dyte.store.participants.get(orgId, claims.meetingId, claims.participantId)
    if (!participant) throw unauthorized(`Invalid participant token: participant ${claims.participantId} no longer exists`)
    const preset = dyte.store.presets.byName(orgId, participant.preset_name) ?? dyte.store.presets.get(orgId, claims.presetId)
    const permissions = (preset?.permissions ?? {}) as { can_record?: unknown }
    if (permissions.can_record !== true) {
      throw forbidden(`The participant's preset ${participant.preset_name} may not record (permissions.can_record is ${permissions.can_record === false ? 'false' : 'not set'})`)
    }
    req.orgId = orgId
    req.participant = { id: participant.id, meetingId: participant.meeting_id, name: participant.name }
  }
}
