// Swagger UI at /docs: the Dyte API and the control plane in one document, in the served shapes
// (/docs/json) or the live Dyte API's (/docs/live/json; `live` in the page's document picker, which
// /docs/live opens).
import type { FastifyInstance } from 'fastify'
import swagger, { type StaticDocumentSpec } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
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

export async function useDocs (app: FastifyInstance, specs: { v2: LoadedSpec, control: LoadedSpec }, version: string) {
  await app.register(swagger, { mode: 'static', specification: { document: docsDocument(specs.v2, specs.control) } })
  await app.register(swaggerUi, docsUi(version))
  let live: unknown
  app.get('/docs/live/json', { schema: { hide: true } }, async () => (live ??= docsDocument(specs.v2, specs.control, 'live')))
  app.get('/docs/live', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs?urls.primaryName=live'))
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs'))
}
