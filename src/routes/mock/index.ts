// The control plane (/_mock, spec/mock.yaml): what a browser or Dyte's media servers do in
// production, done by a test. Handlers parse, call the simulator and shape the answer.
import type { FastifyInstance } from 'fastify'
import type { LoadedSpec } from '../../spec.js'
import { serveApi, type ApiOptions, type Handlers } from '../index.js'
import type { MockHandlers } from '../types.js'
import { clock } from './clock.js'
import { sessions } from './sessions.js'
import { media } from './media.js'
import { deliveries } from './deliveries.js'
import { faults } from './faults.js'
import { settings } from './settings.js'
import { reset } from './reset.js'
import { fidelity } from './fidelity.js'
import { files } from './files.js'
import { requests } from './requests.js'
import { snapshots } from './snapshots.js'
import { coverage } from './coverage.js'

export const mockHandlers: Handlers = {
  ...clock, ...sessions, ...media, ...deliveries, ...faults, ...settings, ...reset, ...fidelity, ...files, ...requests, ...snapshots, ...coverage,
} satisfies MockHandlers

/** Faults do not apply here: the control plane must keep working while the API fails. */
export async function controlPlane (api: FastifyInstance, o: { spec: LoadedSpec } & Pick<ApiOptions, 'authenticate' | 'report'>) {
  serveApi(api, { operations: o.spec.operations, handlers: mockHandlers, authenticate: o.authenticate, report: o.report, faults: false })
}
