// Start and close: the origin URLs in events point at, signing keys made in the background,
// transitions that fell due while the server was down, a prompt close, and GET /health.
import type { FastifyInstance } from 'fastify'

export interface LifecycleOptions {
  /** Whether --public-url set the origin (otherwise it is the address the server listens on). */
  publicUrl: boolean
  version: string
  specVersion: string
}

export function useLifecycle (app: FastifyInstance, o: LifecycleOptions) {
  const ctx = app.dyte
  const started = performance.now()
  let closing = false
  if (!o.publicUrl) {
    app.addHook('onListen', async () => {
      const a = app.server.address()
      if (a && typeof a === 'object') {
        const host = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.family === 'IPv6' ? `[${a.address}]` : a.address
        ctx.files.origin = `http://${host}:${a.port}`
      }
    })
  }
  // Missing signing keys are generated in the background shortly after start-up (not during it:
  // RSA key generation would compete with start-up for the CPU); the first caller waits for them.
  const preloadKeys = () => {
    for (const name of ['jwt', 'webhook'] as const) {
      void ctx.keys.load(name).catch((err) => { if (!closing) app.log.error({ err }, `could not create the ${name} signing key`) })
    }
  }
  app.addHook('onReady', async () => { setTimeout(preloadKeys, 250).unref() })
  // Transitions that fell due while the server was down run now.
  app.addHook('onReady', async () => {
    for (const { org_id: orgId } of ctx.store.timers.earliest()) {
      if (!ctx.clock.isFrozen(orgId)) ctx.scheduler.runDue(orgId, ctx.clock.now(orgId))
    }
    ctx.scheduler.rearm()
    ctx.deliverer.kick()
  })
  // Closing waits for requests under way: long-polls are answered at once, and connections still
  // open a second later (a client that stopped mid-body) are dropped, so a signal ends the process promptly.
  app.addHook('preClose', async () => {
    await ctx.deliverer.close()
    setTimeout(() => app.server.closeAllConnections?.(), 1000).unref()
  })
  app.addHook('onClose', async () => {
    closing = true
    ctx.close()
  })

  app.get('/health', { schema: { hide: true } }, async () => ({
    status: 'ok',
    version: o.version,
    spec_version: o.specVersion,
    uptime_s: Math.round((performance.now() - started) / 1000),
  }))
}
