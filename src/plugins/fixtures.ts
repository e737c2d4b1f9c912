// --fixtures DIR: every *.json in DIR is a snapshot document (GET /_mock/snapshots/{name}/export);
// each is imported and restored into the org it names before the server takes requests, so a
// team can keep its fixtures in its repository. A file that is not a snapshot stops the start.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { toJsonSchema, type LoadedSpec } from '../spec.js'
import type { SnapshotDoc } from '../simulate/snapshots.js'
import { newAjv } from '../lazy.js'

export function loadFixtures (app: FastifyInstance, dir: string, control: LoadedSpec) {
  // The same schema POST /_mock/snapshots/import validates its body with.
  const ajv = newAjv({ strict: false, allErrors: true })
  const validate = ajv.compile(toJsonSchema(control.operations.find((op) => op.operationId === 'importSnapshot')!.body!.schema)!)
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  } catch (err) {
    throw new Error(`--fixtures ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`)
  }
  const { snapshots } = app.dyte.sim
  for (const file of files) {
    const fail = (why: string) => new Error(`--fixtures: ${join(dir, file)} ${why}`)
    let doc: unknown
    try {
      doc = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    } catch (err) {
      throw fail(`is not JSON (${(err as Error).message})`)
    }
    if (!validate(doc)) throw fail(`is not a dyte-mock snapshot: ${ajv.errorsText(validate.errors, { dataVar: 'document', separator: '; ' })}`)
    const snapshot = doc as SnapshotDoc
    try {
      snapshots.import(snapshot)
      snapshots.restore(snapshot.org_id, snapshot.name)
    } catch (err) {
      throw fail(`cannot be restored: ${(err as Error).message}`)
    }
    app.log.info(`fixture ${file}: org ${snapshot.org_id} restored to snapshot ${snapshot.name}`)
  }
}
