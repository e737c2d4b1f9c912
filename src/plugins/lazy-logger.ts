// Each request's logger (req.log) carries its request id. Fastify makes it with pino's child() for
// every request, though at the default level a request logs nothing unless it fails: here it is
// made when the request first logs, and until then the request holds a small stand-in.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'

type Factory = NonNullable<FastifyServerOptions['childLoggerFactory']>
type Bindings = Parameters<Factory>[1]
type ChildLoggerOptions = Parameters<Factory>[2]
type Level = FastifyBaseLogger['level']

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

class RequestLogger {
  private made: FastifyBaseLogger | undefined
  constructor (private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}
  private get real (): FastifyBaseLogger { return (this.made ??= this.parent.child(this.bindings, this.options)) }
  get level (): Level { return this.made?.level ?? this.options.level ?? this.parent.level }
  set level (level: Level) { this.real.level = level }
  child (bindings: Bindings, options?: ChildLoggerOptions) { return this.real.child(bindings, options) }
  fatal (...args: unknown[]) { this.log('fatal', args) }
  error (...args: unknown[]) { this.log('error', args) }
  warn (...args: unknown[]) { this.log('warn', args) }
  info (...args: unknown[]) { this.log('info', args) }
  debug (...args: unknown[]) { this.log('debug', args) }
  trace (...args: unknown[]) { this.log('trace', args) }
  silent () {}
  private log (method: Method, args: unknown[]) {
    (this.real[method] as (...a: unknown[]) => void)(...args)
  }
}

export const lazyChildLogger: Factory = (logger, bindings, options) =>
  new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger
