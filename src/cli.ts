// The command line: reads flags (or their environment twins), starts the server, and closes it
// cleanly on a signal. Run by main.ts, and by bin.cts from the bundle.
import { parseArgs } from 'node:util'
import type { AddressInfo } from 'node:net'
import closeWithGrace from 'close-with-grace'
import { createServer } from './server.js'

const usage = `dyte-mock: a local, stateful emulator of the Dyte v2 REST API

  --port <n>         PORT            port to listen on (default 4010; 0 picks a free one)
  --host <addr>      HOST            address to bind (default 127.0.0.1)
  --db <path>        DYTE_MOCK_DB    SQLite file (default ./data/dyte-mock.db; :memory: for throwaway state)
  --orgs <list>      DYTE_MOCK_ORGS  accepted credentials org1:key1,org2:key2 (default: any org id with a key)
  --log-level <lvl>  LOG_LEVEL       fatal|error|warn|info|debug|trace|silent (default info)
  --log-format <fmt> LOG_FORMAT      json|pretty (default: pretty on a terminal, json otherwise)
  --seed <text>      DYTE_MOCK_SEED  derive ids from this seed, so runs on a frozen clock repeat exactly
  --public-url <url> DYTE_MOCK_PUBLIC_URL  origin for URLs in webhook payloads (default: the listen address)
  --validate-responses DYTE_MOCK_VALIDATE_RESPONSES=1  log every response that does not match the spec
  --journal-size <n> DYTE_MOCK_JOURNAL_SIZE  requests kept per org for GET /_mock/requests (default 10000, at most 32 MiB of them; 0 turns it off)
  --fixtures <dir>   DYTE_MOCK_FIXTURES  import every *.json snapshot in <dir> at start and restore each into its org
  --coverage-out <file> DYTE_MOCK_COVERAGE_OUT  write the API coverage report of all orgs there on stop (Markdown if .md, else JSON)
  --rate-limit <n/s> DYTE_MOCK_RATE_LIMIT  answer 429 past n requests per s seconds of each org's clock, e.g. 2000/60 (default off; rate_limit in /_mock/settings)
  --shapes <seed|live> DYTE_MOCK_SHAPES  /v2 answers in the served document's shapes or the live Dyte API's where they differ (default seed; shapes in /_mock/settings)
  --help`

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  orgs: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'validate-responses': { type: 'boolean' },
  seed: { type: 'string' },
  'public-url': { type: 'string' },
  'journal-size': { type: 'string' },
  fixtures: { type: 'string' },
  'coverage-out': { type: 'string' },
  'rate-limit': { type: 'string' },
  shapes: { type: 'string' },
  help: { type: 'boolean' },
} as const

/** Parses the command line, starts the server and keeps it running until a signal. */
export async function main () {
  let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values']
  try {
    ({ values } = parseArgs({ options }))
  } catch (err) {
    console.error(`dyte-mock: ${(err as Error).message}\n\n${usage}`)
    process.exit(2)
  }

  if (values.help) {
    console.log(usage)
    process.exit(0)
  }

  const env = process.env
  const fail = (message: string) => {
    console.error(`dyte-mock: ${message}`)
    process.exit(2)
  }
  const logLevel = values['log-level'] ?? env.LOG_LEVEL ?? 'info'
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
  if (!levels.includes(logLevel)) fail(`--log-level must be one of ${levels.join(', ')}, got '${logLevel}'`)
  // JSON lines for CI and containers; readable lines for a person at a terminal.
  const logFormat = values['log-format'] ?? env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')
  if (logFormat !== 'json' && logFormat !== 'pretty') fail(`--log-format must be json or pretty, got '${logFormat}'`)
  const portText = values.port ?? env.PORT ?? '4010'
  const port = Number(portText)
  if (!/^\d{1,5}$/.test(portText) || port > 65535) fail(`--port must be a port number from 0 to 65535, got '${portText}'`)
  const publicUrl = values['public-url'] ?? env.DYTE_MOCK_PUBLIC_URL
  if (publicUrl !== undefined && !(URL.canParse(publicUrl) && /^https?:$/.test(new URL(publicUrl).protocol))) {
    fail(`--public-url must be an http(s) URL such as http://localhost:4010, got '${publicUrl}'`)
  }
  const journalText = values['journal-size'] ?? env.DYTE_MOCK_JOURNAL_SIZE ?? '10000'
  if (!/^\d{1,9}$/.test(journalText)) fail(`--journal-size must be a whole number of requests (0 turns the journal off), got '${journalText}'`)
  const rateText = values['rate-limit'] ?? env.DYTE_MOCK_RATE_LIMIT
  const rate = rateText === undefined || rateText === 'off' ? undefined : /^(\d{1,9})\/(\d{1,5}(?:\.\d+)?)$/.exec(rateText)
  if (rateText !== undefined && rateText !== 'off' && (!rate || Number(rate[1]) < 1 || !(Number(rate[2]) > 0) || Number(rate[2]) > 86400)) {
    fail(`--rate-limit must be <requests>/<seconds> such as 2000/60 (requests at least 1, seconds above 0 and at most 86400) or off, got '${rateText}'`)
  }
  const shapes = (values.shapes ?? env.DYTE_MOCK_SHAPES ?? 'seed') as 'seed' | 'live'
  if (shapes !== 'seed' && shapes !== 'live') fail(`--shapes must be seed or live, got '${shapes}'`)
  const dbPath = values.db ?? env.DYTE_MOCK_DB ?? './data/dyte-mock.db'

  // pino-pretty is loaded only when chosen, so JSON lines go to stdout with nothing in between.
  const logger = logFormat === 'pretty'
    ? { level: logLevel, stream: (await import('pino-pretty')).default({ sync: true, singleLine: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) }
    : undefined

  let app
  try {
    app = await createServer({
      dbPath,
      orgs: values.orgs ?? env.DYTE_MOCK_ORGS,
      logLevel,
      logger,
      seed: values.seed ?? env.DYTE_MOCK_SEED,
      publicUrl: publicUrl?.replace(/\/$/, ''),
      journalSize: Number(journalText),
      validateResponses: values['validate-responses'] ?? ['1', 'true'].includes(env.DYTE_MOCK_VALIDATE_RESPONSES ?? ''),
      fixtures: values.fixtures ?? env.DYTE_MOCK_FIXTURES,
      coverageOut: values['coverage-out'] ?? env.DYTE_MOCK_COVERAGE_OUT,
      rateLimit: rate ? { requests: Number(rate[1]), window_seconds: Number(rate[2]) } : undefined,
      shapes,
    })
  } catch (err) {
    const message = (err as Error).message
    console.error(`dyte-mock: ${/database/i.test(message) && dbPath !== ':memory:' ? `${message} (--db ${dbPath})` : message}`)
    process.exit(1)
  }

  closeWithGrace({ delay: 5000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info(`${signal} received, closing`)
    await app.close()
  })

  const host = values.host ?? env.HOST ?? '127.0.0.1'
  try {
    await app.listen({ port, host })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    console.error(`dyte-mock: cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'ENOTFOUND' || e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.message}`)
    await app.close()
    process.exit(1)
  }
  // The address actually bound (0.0.0.0 in a container), and where a person on this machine opens it.
  const bound = app.server.address() as AddressInfo
  const everywhere = bound.address === '0.0.0.0' || bound.address === '::'
  const origin = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`
  const open = everywhere ? `http://127.0.0.1:${bound.port}` : origin
  app.log.info(`dyte-mock listening on ${origin} (${everywhere ? 'every interface; ' : ''}API ${open}/v2, Swagger UI ${open}/docs)`)
}
