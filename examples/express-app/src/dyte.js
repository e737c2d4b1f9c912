// The Dyte v2 REST calls this app makes, with fetch. The base URL comes from the environment, so
// tests point it at dyte-mock (http://127.0.0.1:<port>/v2) and production at https://api.dyte.io/v2.

export class DyteError extends Error {
  /** @param {number} status @param {string} message */
  constructor (status, message) {
    super(`Dyte answered ${status}: ${message}`)
    this.status = status
  }
}

/**
 * @param {{ baseUrl: string, orgId: string, apiKey: string }} config
 */
export function createDyte ({ baseUrl, orgId, apiKey }) {
  const base = baseUrl.replace(/\/+$/, '')
  const authorization = 'Basic ' + Buffer.from(`${orgId}:${apiKey}`).toString('base64')

  /** @param {string} method @param {string} path @param {unknown} [body] */
  async function call (method, path, body) {
    const res = await fetch(base + path, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json().catch(() => ({}))
    if (!res.ok) throw new DyteError(res.status, json.error?.message ?? json.message ?? res.statusText)
    return json.data
  }

  let publicKey
  return {
    /** @param {string} title */
    createMeeting: (title) => call('POST', '/meetings', { title, record_on_start: false }),
    /** @param {string} meetingId @param {{ name: string, userId: string, preset: string }} p */
    addParticipant: (meetingId, p) => call('POST', `/meetings/${meetingId}/participants`,
      { name: p.name, custom_participant_id: p.userId, preset_name: p.preset }),
    /** @param {string} meetingId */
    startRecording: (meetingId) => call('POST', '/recordings', { meeting_id: meetingId }),
    /** @param {string} url @param {string[]} events */
    createWebhook: (url, events) => call('POST', '/webhooks', { name: 'classroom backend', url, events }),
    /** The key that verifies webhook signatures, from the host's /.well-known/webhooks.json (fetched once). */
    async webhookPublicKey () {
      if (!publicKey) {
        const res = await fetch(new URL('/.well-known/webhooks.json', base))
        publicKey = (await res.json()).data.publicKey
      }
      return publicKey
    },
  }
}
