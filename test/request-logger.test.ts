// The request logger: a request's lines carry its request id, though its logger is only made when it logs.
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import { createServer } from '../src/server.js'
import { lazyChildLogger } from '../src/plugins/lazy-logger.js'
import { auth } from './helpers.js'

async function logged (t: Test, level: 'info' | 'debug') {
  const lines: any[] = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(...String(chunk).trim().split('\n').map((l) => JSON.parse(l))); done() } })
  const app = await createServer({ dbPath: ':memory:', logLevel: level, logger: { level, stream } })
  t.teardown(() => app.close())
  return { app, lines }
}

t.test('logging: an unexpected failure is logged with the id of the request that met it', async (t) => {
  const { app, lines } = await logged(t, 'info')
  await app.inject({ method: 'GET', url: '/v2/meetings', headers: auth() })
  app.dyte.store.meetings.get = () => { throw new Error('the disk caught fire') }
  const res = await app.inject({ method: 'GET', url: '/v2/meetings/00000000-0000-4000-8000-000000000001', headers: auth() })
  t.equal(res.statusCode, 500)
  const failure = lines.find((l) => l.msg === 'unhandled error')
  t.match(failure, { level: 50, reqId: /^req-/, err: { message: 'the disk caught fire' } })
  t.equal(lines.filter((l) => l.reqId !== undefined).length, 1, 'at info level, the request that went well logged nothing')
})

t.test('logging: at debug level every request logs its lines under its id', async (t) => {
  const { app, lines } = await logged(t, 'debug')
  await app.inject({ method: 'GET', url: '/v2/meetings', headers: auth() })
  await app.inject({ method: 'GET', url: '/v2/meetings', headers: auth() })
  const ids = [...new Set(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed').map((l) => l.reqId))]
  t.equal(ids.length, 2, 'two requests, two ids')
  for (const id of ids) t.same(lines.filter((l) => l.reqId === id).map((l) => l.msg), ['incoming request', 'request completed'])
})

t.test('logging: the stand-in answers as a child logger would', async (t) => {
  const { app, lines } = await logged(t, 'info')
  const log = lazyChildLogger.call(app, app.log, { reqId: 'r1' }, {}, undefined as never)
  t.equal(log.level, 'info', 'the level is the parent\'s until it is made')
  log.debug('not written')
  log.silent('never written')
  for (const level of ['fatal', 'error', 'warn', 'info'] as const) log[level](level)
  log.child({ part: 'x' }).warn('from a grandchild')
  log.level = 'trace'
  log.trace('now written')
  t.same(lines.map((l) => [l.reqId, l.msg]), [['r1', 'fatal'], ['r1', 'error'], ['r1', 'warn'], ['r1', 'info'], ['r1', 'from a grandchild'], ['r1', 'now written']])
  t.equal(log.level, 'trace')
  t.equal(lines[4].part, 'x')
})
