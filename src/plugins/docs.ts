// Swagger UI at /docs: the Dyte API and the control plane in one document, in the served shapes
// (/docs/json) or the live Dyte API's (/docs/live/json; `live` in the page's document picker, which
// /docs/live opens). It is built on the first request for it, in an app of its own that /docs/*
// forwards to: a run that never opens the docs never loads Swagger UI or builds its document.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { StaticDocumentSpec } from '@fastify/swagger'
import { liveDocument, type JsonSchema, type LoadedSpec } from '../spec.js'
import { docsUi } from './docs-ui.js'

/**
 * One document for Swagger UI: the Dyte API plus the control plane. Control-plane paths keep
 * their own server (/_mock), so "Try it out" reaches them; their components are renamed Mock*.
 */
function docsDocument (v2: LoadedSpec, control: LoadedSpec, shapes: 'seed' | 'live' = 'seed'): StaticDocumentSpec['document'] {
  const doc = shapes === 'live' ? liveDocument(v2.document) : structuredClone(v2.document)
  const own = control.document.components
  const renamed = JSON.parse(JSON.stringify({ paths: control.document.paths, components: own })
    .replace(/"#\/components\/(schemas|responses|parameters)\/([A-Za-z]+)"/g, '"#/components/$1/Mock$2"'))
  doc.tags = [...doc.tags, ...control.document.tags]
  for (const [path, item] of Object.entries<JsonSchema>(renamed.paths)) {
    if (doc.paths[path]) throw new Error(`control plane path ${path} collides with an API path`)
    doc.paths[path] = { servers: control.document.servers, ...item }
  }
  for (const kind of ['schemas', 'responses', 'parameters']) {
    for (const [name, value] of Object.entries(renamed.components[kind] ?? {})) doc.components[kind][`Mock${name}`] = value
  }
  // An OpenAPI document read from spec/ (test/spec.test.ts checks both are valid).
  return doc as StaticDocumentSpec['document']
}

/** Headers of the docs app's answer that the outer reply sets for itself. */
const OWN_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

export async function useDocs (app: FastifyInstance, specs: { v2: LoadedSpec, control: LoadedSpec }, version: string) {
  let docsApp: Promise<FastifyInstance> | undefined
  const build = async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')])
    const docs = Fastify({ logger: false, exposeHeadRoutes: false })
    await docs.register(swagger, { mode: 'static', specification: { document: docsDocument(specs.v2, specs.control) } })
    await docs.register(swaggerUi, docsUi(version))
    await docs.ready()
    return docs
  }
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    docsApp ??= build().catch((err) => { docsApp = undefined; throw err })
    const res = await (await docsApp).inject({ method: req.method as 'GET', url: req.url, headers: req.headers })
    if (res.statusCode === 404) return reply.callNotFound()
    for (const [name, value] of Object.entries(res.headers)) if (!OWN_HEADERS.has(name) && value !== undefined) reply.header(name, value)
    return reply.code(res.statusCode).send(res.rawPayload)
  }
  app.get('/docs', { schema: { hide: true } }, serve)
  app.get('/docs/*', { schema: { hide: true } }, serve)
  app.addHook('onClose', async () => { if (docsApp) await (await docsApp.catch(() => undefined))?.close() })
  let live: unknown
  app.get('/docs/live/json', { schema: { hide: true } }, async () => (live ??= docsDocument(specs.v2, specs.control, 'live')))
  app.get('/docs/live', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs?urls.primaryName=live'))
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs'))
}
