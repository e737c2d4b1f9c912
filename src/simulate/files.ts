// Files behind expiring, signed URLs, like presigned bucket URLs: recordings (small but valid
// media in assets/) and session exports (chat, transcript, summary, generated from the session).
// GET /_mock/files/... serves them until the URL expires on the org's clock.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { specDir } from '../spec.js'
import type { Context } from '../context.js'
import { sessionFile, sessionFileKinds } from './session-files.js'

const assets = join(specDir, '..', 'assets')
const media: Record<string, { name: string, type: string }> = {
  mp4: { name: 'recording.mp4', type: 'video/mp4' },
  m4a: { name: 'recording-audio.m4a', type: 'audio/mp4' },
}

const sign = (secret: string, what: string) => createHmac('sha256', secret).update(what).digest('base64url')

/** A server-relative signed path; the API shows it with this server's origin. */
export function signedPath (ctx: Context, orgId: string, path: string, expiresMs: number) {
  const p = `/_mock/files/${encodeURIComponent(orgId)}/${path}`
  return `${p}?expires=${expiresMs}&signature=${sign(ctx.urlSecret, `${p}:${expiresMs}`)}`
}

export const recordingFiles = {
  path: (ctx: Context, orgId: string, recordingId: string, kind: 'video' | 'audio', expiresMs: number) =>
    signedPath(ctx, orgId, `recordings/${recordingId}.${kind === 'video' ? 'mp4' : 'm4a'}`, expiresMs),
  size: (kind: 'video' | 'audio') => statSync(join(assets, media[kind === 'video' ? 'mp4' : 'm4a'].name)).size,
}

export type Opened = { body: Buffer | string, type: string } | { refused: 403 | 404, message: string }

/** Checks a request for a file (signature, expiry, existence) and opens it. */
export function openFile (ctx: Context, orgId: string, path: string, expires: string, signature: string): Opened {
  const p = `/_mock/files/${encodeURIComponent(orgId)}/${path}`
  const expected = Buffer.from(sign(ctx.urlSecret, `${p}:${expires}`))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { refused: 403, message: 'The request signature does not match' }
  }
  if (ctx.clock.now(orgId) >= Number(expires)) return { refused: 403, message: 'Request has expired' }
  const [folder, id, file] = path.split('/')
  if (folder === 'recordings') {
    const [recordingId, ext] = id.split('.')
    if (!media[ext] || !ctx.store.recordings.get(orgId, recordingId)) return { refused: 404, message: 'No such file' }
    return { body: readFileSync(join(assets, media[ext].name)), type: media[ext].type }
  }
  const session = folder === 'sessions' ? ctx.store.sessions.get(orgId, id) : undefined
  const [kind, ext] = (file ?? '').split('.')
  if (!session || !sessionFileKinds.includes(kind as never)) return { refused: 404, message: 'No such file' }
  return sessionFile(ctx, orgId, session, kind as never, ext)
}
