// Recording files behind expiring, signed URLs, like a presigned bucket URL. The files are
// small but valid media (assets/), served by GET /_mock/files/... until the URL expires on
// the org's clock.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { specDir } from '../spec.js'
import type { Context } from '../context.js'

export type FileKind = 'video' | 'audio'
const assets = join(specDir, '..', 'assets')
const fileOf: Record<FileKind, { name: string, ext: string, type: string }> = {
  video: { name: 'recording.mp4', ext: 'mp4', type: 'video/mp4' },
  audio: { name: 'recording-audio.m4a', ext: 'm4a', type: 'audio/mp4' },
}

const sign = (secret: string, what: string) => createHmac('sha256', secret).update(what).digest('base64url')

export const recordingFiles = {
  /** A server-relative signed path; the API shows it with this server's origin. */
  path (ctx: Context, orgId: string, recordingId: string, kind: FileKind, expiresMs: number) {
    const p = `/_mock/files/${encodeURIComponent(orgId)}/recordings/${recordingId}.${fileOf[kind].ext}`
    return `${p}?expires=${expiresMs}&signature=${sign(ctx.urlSecret, `${p}:${expiresMs}`)}`
  },
  size: (kind: FileKind) => statSync(join(assets, fileOf[kind].name)).size,
  /** Checks a request for a file: 'ok' with the file, or why it is refused. */
  open (ctx: Context, orgId: string, recordingId: string, ext: string, expires: string, signature: string) {
    const kind = (Object.keys(fileOf) as FileKind[]).find((k) => fileOf[k].ext === ext)
    if (!kind) return { refused: 404 as const, message: 'No such file' }
    const p = `/_mock/files/${encodeURIComponent(orgId)}/recordings/${recordingId}.${ext}`
    const expected = Buffer.from(sign(ctx.urlSecret, `${p}:${expires}`))
    const given = Buffer.from(signature)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { refused: 403 as const, message: 'The request signature does not match' }
    }
    if (ctx.clock.now(orgId) >= Number(expires)) return { refused: 403 as const, message: 'Request has expired' }
    if (!ctx.store.recordings.get(orgId, recordingId)) return { refused: 404 as const, message: 'No such file' }
    return { body: readFileSync(join(assets, fileOf[kind].name)), type: fileOf[kind].type }
  },
}
