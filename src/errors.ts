// One catalogue of API errors. The error handler (plugins/errors.ts) is the only place that
// writes them, in Dyte's envelope {success:false, error:{code, message}}.
import { STATUS_CODES } from 'node:http'

export class ApiError extends Error {
  constructor (readonly statusCode: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
    this.name = 'ApiError'
  }
}

export const badRequest = (message: string) => new ApiError(400, message)
export const unauthorized = (message = 'Unauthorized') => new ApiError(401, message)
export const forbidden = (message: string) => new ApiError(403, message)
export const notFound = (what: string, id: string) => new ApiError(404, `No ${what} found with id ${id}`)
export const notFoundMessage = (message: string) => new ApiError(404, message)
/** A long-poll that ran out of time before what it waited for happened. */
export const timedOut = (message: string) => new ApiError(408, message)
export const conflict = (message: string) => new ApiError(409, message)
export const notImplemented = (operationId: string) =>
  new ApiError(501, `Operation ${operationId} is described in the spec but not emulated by dyte-mock`)
export const shuttingDown = () => new ApiError(503, 'dyte-mock is shutting down')

/** A failure asked for through /_mock/faults: any status, named by the fault's id (a 429 says when to retry). */
export function injected (status: number, faultId: string, message?: string, retryAfterS?: number) {
  const headers: Record<string, string> = { 'x-dyte-mock-fault': faultId }
  if (retryAfterS !== undefined || status === 429) headers['retry-after'] = String(retryAfterS ?? 1)
  return new ApiError(status, message ?? STATUS_CODES[status] ?? `Error ${status}`, headers)
}

/** The value that was looked up, or a 404 naming what was not found. */
export function found<T> (value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw notFound(what, id)
  return value
}

export function errorBody (statusCode: number, message: string) {
  const body: { success: false, error: { code: number, message: string }, message?: string } =
    { success: false, error: { code: statusCode, message } }
  // The real API gateway answers 401 as {"message":"Unauthorized"}; carry both shapes.
  if (statusCode === 401) body.message = message
  return body
}
