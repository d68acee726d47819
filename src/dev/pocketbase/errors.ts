/**
 * PocketBase's error body `{status, message, data}` (tools/router/error.go) and the ozzo-validation
 * field errors it nests in `data`: `{field: {code, message, params?}}`. Messages are "sentenized"
 * (capital first letter, final full stop) like PocketBase does.
 */

export interface FieldError {
  code: string
  message: string
  params?: Record<string, unknown>
}

export class ApiError extends Error {
  readonly status: number
  readonly data: Record<string, FieldError>

  constructor(status: number, message: string, data: Record<string, FieldError> = {}) {
    super(sentenize(message))
    this.status = status
    this.data = data
  }

  body(): { status: number; message: string; data: Record<string, FieldError> } {
    return { status: this.status, message: this.message, data: this.data }
  }
}

export function sentenize(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return trimmed
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(first) ? first : `${first}.`
}

export function fieldError(code: string, message: string, params?: Record<string, unknown>): FieldError {
  return params === undefined ? { code, message: sentenize(message) } : { code, message: sentenize(message), params }
}

export const badRequest = (message = 'Something went wrong while processing your request.', data?: Record<string, FieldError>): ApiError =>
  new ApiError(400, message, data)
export const unauthorized = (message = 'Missing or invalid authentication.'): ApiError => new ApiError(401, message)
export const forbidden = (message = 'You are not allowed to perform this request.'): ApiError => new ApiError(403, message)
export const notFound = (message = "The requested resource wasn't found."): ApiError => new ApiError(404, message)
export const tooManyRequests = (message = 'Too Many Requests.'): ApiError => new ApiError(429, message)

export const LOAD_FAILED = 'An error occurred while loading the submitted data.'
export const VALIDATION_FAILED = 'An error occurred while validating the submitted data.'
export const REQUIRES_AUTH = 'The request requires valid record authorization token.'
