#!/usr/bin/env -S node --max-semi-space-size=8
// The executable that npm start, the package's bin and the Docker image run. It runs the server
// bundled into one script (main.bundle.cjs, made by scripts/bundle.mjs) with V8's code cache: the
// code compiled by an earlier run is read back instead of being parsed and compiled again, which
// takes a quarter of a cold start off. V8 refuses a cache made by another Node version or with
// other flags; the process then writes a new one when it ends (best effort: a read-only install
// keeps running without one). Without the bundle (a build by tsc alone) it runs the modules.
//
// DYTE_MOCK_COMPILE_CACHE: the cache file (default: main.bundle.cjs.cache beside the bundle), or
// `off`. NODE_DEBUG=dyte-mock says whether the cache was used.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire, wrap } from 'node:module'
import { join } from 'node:path'
import { debuglog } from 'node:util'
import vm from 'node:vm'

const debug = debuglog('dyte-mock')
const bundle = join(__dirname, 'main.bundle.cjs')

if (!existsSync(bundle)) {
  void import('./main.js')
} else {
  const setting = process.env.DYTE_MOCK_COMPILE_CACHE
  const cacheFile = setting === 'off' ? undefined : setting || `${bundle}.cache`
  const cachedData = cacheFile !== undefined && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined
  const script = new vm.Script(wrap(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    cachedData,
  })
  const used = cachedData !== undefined && !script.cachedDataRejected
  debug('code cache %s', cacheFile === undefined ? 'off' : used ? `used (${cacheFile})` : cachedData ? `refused by V8, replaced at exit (${cacheFile})` : `none yet, written at exit (${cacheFile})`)
  if (cacheFile !== undefined && !used && !process.argv.includes('--help')) {
    // At a clean exit, once the code a run uses has been compiled; never over a failed start.
    process.on('exit', (code) => {
      if (code !== 0) return
      try {
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData())
        renameSync(`${cacheFile}.${process.pid}`, cacheFile)
      } catch (err) {
        debug('code cache not written: %s', (err as Error).message)
      }
    })
  }
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, __dirname)
}
