// Starts the backend: DYTE_API_BASE_URL (default https://api.dyte.io/v2), DYTE_ORG_ID, DYTE_API_KEY, PORT.
import { createApp } from './app.js'
import { createDyte } from './dyte.js'

const env = process.env
if (!env.DYTE_ORG_ID || !env.DYTE_API_KEY) {
  console.error('set DYTE_ORG_ID and DYTE_API_KEY (and DYTE_API_BASE_URL to use dyte-mock)')
  process.exit(2)
}
const dyte = createDyte({ baseUrl: env.DYTE_API_BASE_URL ?? 'https://api.dyte.io/v2', orgId: env.DYTE_ORG_ID, apiKey: env.DYTE_API_KEY })
const port = Number(env.PORT ?? 3000)
createApp({ dyte }).listen(port, () => console.log(`classroom backend on http://localhost:${port}`))
