// Swagger UI as dyte-mock's own page: its name and version in the top bar and the tab title, its
// logo, so a tab among several local tools says what it is.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui'
import { specDir } from '../spec.js'

export function docsUi (version: string): FastifySwaggerUiOptions {
  const logo = readFileSync(join(specDir, '..', 'assets', 'logo.svg'))
  const name = `dyte-mock ${version}`
  return {
    routePrefix: '/docs',
    // Two documents: the served shapes and the live Dyte API's (/docs?urls.primaryName=live opens it).
    uiConfig: {
      docExpansion: 'list',
      persistAuthorization: true,
      queryConfigEnabled: true,
      urls: [{ url: '/docs/json', name: 'seed' }, { url: '/docs/live/json', name: 'live' }],
    } as FastifySwaggerUiOptions['uiConfig'],
    logo: { type: 'image/svg+xml', content: logo, href: '/docs' },
    theme: {
      title: `${name} · Swagger UI`,
      favicon: [{ filename: 'logo.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: logo }],
      css: [{
        filename: 'dyte-mock.css',
        content: '.swagger-ui .topbar a.link { display: flex; align-items: center; gap: 12px; text-decoration: none }\n' +
          `.swagger-ui .topbar a.link::after { content: ${JSON.stringify(name)}; color: #fff; font: 700 20px sans-serif }\n`,
      }],
    },
  }
}
