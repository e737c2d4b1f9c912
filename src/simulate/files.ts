// Files behind expiring, signed URLs, like presigned bucket URLs: recordings (small but valid
// media in assets/) and session exports (chat, transcript, summary, generated from the session).
// GET /_mock/files/... serves them until the URL expires on the org's clock.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { specDir } from '../spec.js'
import { forbidden, notFoundMessage } from '../errors.js'
import type { Store } from '../store/index.js'
import type { Clock } from './clock.js'
import { isKind, sessionFile } from './session-files.js'

const assets = join(specDir, '..', 'assets')
const media: Record<string, { name: string, type: string }> = {
  mp4: { name: 'recording.mp4', type: 'video/mp4' },
  m4a: { name: 'recording-audio.m4a', type: 'audio/mp4' },
}

const sign = (secret: string, what: string) => createHmac('sha256', secret).update(what).digest('base64url')
const noSuchFile = () => notFoundMessage('No such file')

export interface FilesDeps { store: Store, clock: Clock, secret: string }

/** `origin`: this server's origin for URLs inside events (--public-url, else set once it listens). */
export function createFiles ({ store, clock, secret }: FilesDeps, origin = 'http://127.0.0.1:4010') {
  let base = origin
  /** A server-relative signed path; the API shows it with this server's origin. */
  const signedPath = (orgId: string, path: string, expiresMs: number) => {
    const p = `/_mock/files/${encodeURIComponent(orgId)}/${path}`
    return `${p}?expires=${expiresMs}&signature=${sign(secret, `${p}:${expiresMs}`)}`
  }
  return {
    get origin () { return base },
    set origin (value: string) { base = value },
    /** A server-relative path with this server's origin (events carry absolute URLs). */
    absolute: (path: string | null) => (path === null ? null : path.startsWith('/') ? base + path : path),
    signedPath,
    recordingPath: (orgId: string, recordingId: string, kind: 'video' | 'audio', expiresMs: number) =>
      signedPath(orgId, `recordings/${recordingId}.${kind === 'video' ? 'mp4' : 'm4a'}`, expiresMs),
    recordingSize: (kind: 'video' | 'audio') => statSync(join(assets, media[kind === 'video' ? 'mp4' : 'm4a'].name)).size,

    /** Checks a request for a file (signature, expiry, existence) and opens it: a 403 or 404 when it may not be served. */
    open (orgId: string, path: string, expires: string, signature: string): { body: Buffer | string, type: string } {
      const p = `/_mock/files/${encodeURIComponent(orgId)}/${path}`
      const expected = Buffer.from(sign(secret, `${p}:${expires}`))
      const given = Buffer.from(signature)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forbidden('The request signature does not match')
      if (clock.now(orgId) >= Number(expires)) throw forbidden('Request has expired')
      const [folder, id, file] = path.split('/')
      if (folder === 'recordings') {
        const [recordingId, ext] = id.split('.')
        if (!media[ext] || !store.recordings.get(orgId, recordingId)) throw noSuchFile()
        return { body: readFileSync(join(assets, media[ext].name)), type: media[ext].type }
      }
      const session = folder === 'sessions' ? store.sessions.get(orgId, id) : undefined
      const [kind, ext] = (file ?? '').split('.')
      const opened = session && isKind(kind) ? sessionFile(store, orgId, session, kind, ext) : undefined
      if (!opened) throw noSuchFile()
      return opened
    },
  }
}

export type Files = ReturnType<typeof createFiles>
