// The org's `shapes` setting: `seed` answers /v2 in the served document's shapes; `live` answers the
// operations whose live shape differs (x-live-responses in spec/dyte-v2.yaml) in the live Dyte API's:
// the handler's answer is reshaped by the rule the spec names (x-live-reshape), given the live status
// code, and serialized by the live schema.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Operation } from '../spec.js'
import { compileSerializer } from './schemas.js'
import { routeConfig } from './route-config.js'

type Body = { success: boolean, data?: any, paging?: unknown, [k: string]: unknown }

const at = (value: any, path: string[]) => path.reduce((v, k) => v?.[k], value)

/** A copy of `value` with the value at `path` replaced (left out when undefined). */
function replaced (value: any, path: string[], next: unknown): any {
  const [head, ...rest] = path
  if (value === null || typeof value !== 'object') return value
  const out = { ...value, [head]: rest.length ? replaced(value[head], rest, next) : next }
  if (next === undefined && rest.length === 0) delete out[head]
  return out
}

/**
 * The rules x-live-reshape names, `rule` or `rule:argument`:
 * - `nest:K`: data becomes {K: data};
 * - `nest-paged:K`: data becomes {K: data, paging}, the paging moved inside;
 * - `first-of:a.b`: the list at data.a.b becomes its first item (left out when empty);
 * - `first`: the data list becomes its first item ({} when empty);
 * - `first-paged`, `first-paged:K`: data becomes the first item of the data list (of data.K) with the
 *   paging (of data) inside.
 */
export function reshape (rule: string, body: Body): Body {
  const [name, arg = ''] = rule.split(':')
  const { paging, ...rest } = body
  switch (name) {
    case 'nest': return { ...body, data: { [arg]: body.data } }
    case 'nest-paged': return { ...rest, data: { [arg]: body.data, paging } }
    case 'first-of': {
      const path = arg.split('.')
      const list = at(body.data, path)
      return Array.isArray(list) ? { ...body, data: replaced(body.data, path, list[0]) } : body
    }
    case 'first': return { ...body, data: Array.isArray(body.data) ? body.data[0] ?? {} : body.data }
    case 'first-paged': {
      const list = arg ? body.data?.[arg] : body.data
      const innerPaging = arg ? body.data?.paging : paging
      return { ...(arg ? body : rest), data: { ...(Array.isArray(list) ? list[0] : undefined), paging: innerPaging } }
    }
    default: throw new Error(`unknown x-live-reshape rule ${rule}`)
  }
}

/** The success status the live document declares for an answer of `status` (the same when it declares it). */
export function liveStatus (op: Operation, status: number) {
  const codes = Object.keys(op.live!.responses).filter((c) => /^2\d\d$/.test(c))
  return codes.includes(String(status)) || codes.length !== 1 ? status : Number(codes[0])
}

/** Whether this request's answer takes the live shapes: an operation that has them, for an org that chose them. */
export function answersLive (req: FastifyRequest, op: Operation | undefined, status: number) {
  return Boolean(op?.live && status < 300 && req.orgId && req.server.dyte.settings.get(req.orgId).shapes === 'live')
}

export function registerLiveShapes (app: FastifyInstance, operations: Operation[]) {
  const byId = new Map(operations.filter((op) => op.live).map((op) => [op.operationId, op]))
  const serializers = new Map<string, (data: unknown) => string>()
  // Callback style, so an answer that is not reshaped is sent in the same tick (an error handler that
  // returns a promise would otherwise see the reply unsent and answer again).
  app.addHook('preSerialization', (req, reply, payload, done) => {
    done(null, live(req, reply, payload))
  })
  const live = (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const op = byId.get(routeConfig(req).operationId ?? '')
    if (!answersLive(req, op, reply.statusCode) || payload === null || typeof payload !== 'object') return payload
    const status = liveStatus(op!, reply.statusCode)
    reply.code(status)
    const key = `${op!.operationId} ${status}`
    let serialize = serializers.get(key)
    if (!serialize) {
      const schema = op!.live!.responses[String(status)]
      if (!schema) return payload
      serialize = compileSerializer(schema)
      serializers.set(key, serialize)
    }
    reply.serializer(serialize)
    return op!.live!.reshape ? reshape(op!.live!.reshape, payload as Body) : payload
  }
}
