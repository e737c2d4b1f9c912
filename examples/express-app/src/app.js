// A small classroom backend of the kind Dyte users write: a class is a Dyte meeting; teachers and
// students get participant tokens for the front-end SDK; the class knows whether it is live and
// how its recordings are doing from Dyte's webhooks, whose signatures it verifies.
import express from 'express'
import { verify } from 'node:crypto'
import { randomUUID } from 'node:crypto'
import { DyteError } from './dyte.js'

const presets = { teacher: 'group_call_host', student: 'group_call_participant' }

/**
 * @param {{ dyte: ReturnType<typeof import('./dyte.js').createDyte> }} options
 */
export function createApp ({ dyte }) {
  const app = express()
  /** @type {Map<string, { id: string, title: string, meeting_id: string, live: boolean, recordings: Record<string, string> }>} */
  const classes = new Map()
  const byMeeting = (meetingId) => [...classes.values()].find((c) => c.meeting_id === meetingId)
  /** dyte-uuid of every delivery handled: a retried delivery is acknowledged but not applied twice. */
  const seen = new Set()
  let webhooksHandled = 0

  const found = (req, res) => {
    const c = classes.get(req.params.id)
    if (!c) res.status(404).json({ error: 'no such class' })
    return c
  }

  app.post('/classes', express.json(), async (req, res) => {
    const meeting = await dyte.createMeeting(req.body.title)
    const c = { id: randomUUID(), title: req.body.title, meeting_id: meeting.id, live: false, recordings: {} }
    classes.set(c.id, c)
    res.status(201).json(c)
  })

  app.get('/classes/:id', (req, res) => {
    const c = found(req, res)
    if (c) res.json(c)
  })

  app.post('/classes/:id/join', express.json(), async (req, res) => {
    const c = found(req, res)
    if (!c) return
    const preset = presets[req.body.role]
    if (!preset) return res.status(400).json({ error: 'role must be teacher or student' })
    const p = await dyte.addParticipant(c.meeting_id, { name: req.body.name, userId: req.body.user_id, preset })
    res.status(201).json({ token: p.token })
  })

  app.post('/classes/:id/recordings', async (req, res) => {
    const c = found(req, res)
    if (!c) return
    const recording = await dyte.startRecording(c.meeting_id)
    c.recordings[recording.id] = recording.status
    res.status(201).json({ recording_id: recording.id, status: recording.status })
  })

  // The signature is over the exact bytes sent, so the body is read raw, verified, then parsed.
  app.post('/webhooks/dyte', express.raw({ type: 'application/json' }), async (req, res) => {
    const signature = req.get('dyte-signature')
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    if (!signature || !verify('RSA-SHA256', body, await dyte.webhookPublicKey(), Buffer.from(signature, 'base64'))) {
      return res.status(401).json({ error: 'bad signature' })
    }
    const id = req.get('dyte-uuid')
    if (!seen.has(id)) {
      seen.add(id)
      webhooksHandled++
      apply(JSON.parse(body.toString('utf8')))
    }
    res.sendStatus(200)
  })

  app.get('/stats', (_req, res) => res.json({ webhooks_handled: webhooksHandled }))

  /** Dyte's payloads: meeting.* carry `meeting`, recording.statusUpdate carries `recording` (camelCase). */
  function apply (event) {
    if (event.event === 'meeting.started' || event.event === 'meeting.ended') {
      const c = byMeeting(event.meeting?.id)
      if (c) c.live = event.event === 'meeting.started'
    } else if (event.event === 'recording.statusUpdate') {
      const c = byMeeting(event.recording?.meetingId)
      if (c) c.recordings[event.recording.id] = event.recording.status
    }
  }

  // Dyte's own errors become a 502 that says what Dyte answered; anything else is a 500.
  app.use((err, _req, res, _next) => {
    if (err instanceof DyteError) res.status(502).json({ error: err.message })
    else res.status(500).json({ error: 'internal error' })
  })

  return app
}
