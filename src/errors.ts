// One catalogue of API errors. The error handler (plugins/errors.ts) is the only place that
// writes them, in Dyte's envelope {success:false, error:{code, message}}.
export class ApiError extends Error {
  constructor (readonly statusCode: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
    this.name = 'ApiError'
  }
}

export const badRequest = (message: string) => new ApiError(400, message)
export const unauthorized = () => new ApiError(401, 'Unauthorized')
export const notFound = (what: string, id: string) => new ApiError(404, `No ${what} found with id ${id}`)
export const notFoundMessage = (message: string) => new ApiError(404, message)
export const conflict = (message: string) => new ApiError(409, message, { 'x-should-retry': 'false' })
export const notImplemented = (operationId: string) =>
  new ApiError(501, `Operation ${operationId} is described in the spec but not emulated by dyte-mock`)

export function errorBody (statusCode: number, message: string) {
  const body: { success: false, error: { code: number, message: string }, message?: string } =
    { success: false, error: { code: statusCode, message } }
  // The real API gateway answers 401 as {"message":"Unauthorized"}; carry both shapes.
  if (statusCode === 401) body.message = message
  return body
}
