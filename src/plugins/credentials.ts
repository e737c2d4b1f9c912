// Reading the Authorization header, for the checks (auth.ts) and for what is said about a request
// that failed them (the 401 hint, the org a refused request is journaled under).

/** The token of `Authorization: Bearer <token>`, or undefined. */
export const bearerToken = (header: string | undefined) => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]

/** Basic credentials (the base64 after the scheme) decoded and split at the first ':'; undefined when there is no ':'. */
export function basicPair (credentials: string): { user: string, key: string } | undefined {
  const decoded = Buffer.from(credentials, 'base64').toString()
  const i = decoded.indexOf(':')
  return i < 0 ? undefined : { user: decoded.slice(0, i), key: decoded.slice(i + 1) }
}
