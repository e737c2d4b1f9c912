// Swagger UI says it is dyte-mock's: name and version in the tab title and the top bar, its own logo.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { build } from './helpers.js'

const { version } = JSON.parse(readFileSync('package.json', 'utf8'))

// First in this file: no other test has opened the docs in this process yet.
t.test('docs: Swagger UI is loaded and built on the first request for /docs, not at start', async (t) => {
  const swaggerLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('@fastify/swagger'))
  const s = await build(t)
  await s.app.ready()
  t.equal(swaggerLoaded(), false, 'a server that never serves the docs never loads Swagger UI')
  t.equal((await s.app.inject('/docs/json')).statusCode, 200)
  t.equal(swaggerLoaded(), true)
  const missing = await s.app.inject('/docs/no-such-file')
  t.same({ status: missing.statusCode, code: missing.json().error.code }, { status: 404, code: 404 }, 'an unknown docs path answers in the envelope')
})

t.test('docs: the page title, top bar, logo and favicon are dyte-mock\'s', async (t) => {
  const s = await build(t)
  const page = await s.app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.body, `<title>dyte-mock ${version} · Swagger UI</title>`)
  t.match(page.body, '<link rel="icon" type="image/svg+xml" href="/docs/static/theme/logo.svg"')
  t.match(page.body, 'href="/docs/static/theme/dyte-mock.css"')
  const css = await s.app.inject('/docs/static/theme/dyte-mock.css')
  t.equal(css.statusCode, 200)
  t.match(css.body, `content: "dyte-mock ${version}"`, 'the top bar shows name and version')
  const logo = readFileSync('assets/logo.svg')
  const icon = await s.app.inject('/docs/static/theme/logo.svg')
  t.same({ type: icon.headers['content-type'], body: icon.rawPayload }, { type: 'image/svg+xml', body: logo })
  const init = await s.app.inject('/docs/static/swagger-initializer.js')
  t.match(init.body, `data:image/svg+xml;base64,${logo.toString('base64')}`, 'the logo replaces the framework\'s')
})

