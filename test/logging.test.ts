// What the server prints: JSON lines unless told otherwise (or on a terminal), readable lines with
// --log-format pretty, and where it listens: the address bound and the URL to open.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { startListening } from './process.js'

const main = ['dist/src/main.js', '--port', '0', '--db', ':memory:']

t.test('logging: JSON lines when stdout is not a terminal', async (t) => {
  const s = await startListening(t, process.execPath, main)
  const line = JSON.parse(s.line)
  t.match(line, { level: 30, msg: /^dyte-mock listening on http:\/\/127\.0\.0\.1:\d+ \(API http:\/\/127\.0\.0\.1:\d+\/v2, Swagger UI http:\/\/127\.0\.0\.1:\d+\/docs\)$/ })
  t.equal((await fetch(`${s.base}/health`)).status, 200)
})

t.test('logging: --log-format pretty (or LOG_FORMAT=pretty) prints readable one-line logs', async (t) => {
  for (const [args, env] of [[['--log-format', 'pretty'], {}], [[], { LOG_FORMAT: 'pretty' }]] as const) {
    const s = await startListening(t, process.execPath, [...main, ...args], { env: { ...process.env, ...env } })
    t.match(s.line, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: dyte-mock listening on http:\/\/127\.0\.0\.1:\d+ \(API /)
    t.notOk(s.output().includes('{"level"'), 'no JSON lines')
    await s.stop()
  }
})

t.test('logging: the flag wins over LOG_FORMAT', async (t) => {
  const s = await startListening(t, process.execPath, [...main, '--log-format', 'json'], { env: { ...process.env, LOG_FORMAT: 'pretty' } })
  t.match(JSON.parse(s.line), { msg: /^dyte-mock listening on / })
})

t.test('logging: pretty by default on a terminal, JSON when LOG_FORMAT=json says so', { skip: !existsSync('/usr/bin/script') && 'no script(1) to give it a terminal' }, async (t) => {
  // script(1) runs the server with a pseudo-terminal as its stdout.
  const onTty = (env: NodeJS.ProcessEnv) => startListening(t, 'script', ['-qfec', [process.execPath, ...main].join(' '), '/dev/null'], { env: { ...process.env, ...env } })
  const pretty = await onTty({})
  const colours = /\x1b\[[0-9;]*m/g
  t.match(pretty.line, colours, 'in colour')
  t.match(pretty.line.replace(colours, ''), /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: dyte-mock listening on http:\/\/127\.0\.0\.1:\d+ /)
  t.notOk(pretty.output().includes('{"level"'), 'no JSON lines')
  await pretty.stop()
  const json = await onTty({ LOG_FORMAT: 'json' })
  t.match(json.line, /^\{"level":30,.*"msg":"dyte-mock listening on /)
})

t.test('logging: bound to every interface, it says so and names the URL to open', async (t) => {
  const s = await startListening(t, process.execPath, [...main, '--host', '0.0.0.0'])
  const { msg } = JSON.parse(s.line)
  const port = /:(\d+) /.exec(msg)![1]
  t.equal(msg, `dyte-mock listening on http://0.0.0.0:${port} (every interface; API http://127.0.0.1:${port}/v2, Swagger UI http://127.0.0.1:${port}/docs)`)
  t.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200)
})

t.test('logging: an unknown format is one line on stderr and exit 2; --help lists the flag', async (t) => {
  const bad = spawnSync(process.execPath, [...main, '--log-format', 'xml'], { encoding: 'utf8' })
  t.equal(bad.status, 2)
  t.equal(bad.stderr, "dyte-mock: --log-format must be json or pretty, got 'xml'\n")
  const env = spawnSync(process.execPath, main, { encoding: 'utf8', env: { ...process.env, LOG_FORMAT: 'text' } })
  t.equal(env.status, 2)
  t.match(env.stderr, "got 'text'")
  const help = spawnSync(process.execPath, ['dist/src/main.js', '--help'], { encoding: 'utf8' })
  t.match(help.stdout, /--log-format <fmt> LOG_FORMAT +json\|pretty/)
})
