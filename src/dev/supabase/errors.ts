/**
 * GoTrue's error answers (internal/api/errors.go): with `X-Supabase-Api-Version: 2024-01-01` (what
 * auth-js sends) `{code: <error_code>, message}`, without it `{code: <status>, error_code, msg}`; both
 * with an `x-sb-error-code` header. OAuth-style errors are `{error, error_description}`, always 400.
 */
export class ApiError extends Error {
  readonly status: number
  readonly errorCode: string
  readonly extra: Record<string, unknown>

  constructor(status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}) {
    super(message)
    this.status = status
    this.errorCode = errorCode
    this.extra = extra
  }

  body(versioned: boolean): Record<string, unknown> {
    return versioned
      ? { code: this.errorCode, message: this.message, ...this.extra }
      : { code: this.status, error_code: this.errorCode, msg: this.message, ...this.extra }
  }
}

export class OAuthError extends Error {
  readonly error: string
  readonly description: string

  constructor(error: string, description: string) {
    super(description)
    this.error = error
    this.description = description
  }
}

export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message)
export const unprocessable = (code: string, message: string): ApiError => new ApiError(422, code, message)
export const forbidden = (code: string, message: string): ApiError => new ApiError(403, code, message)
export const notFound = (code: string, message: string): ApiError => new ApiError(404, code, message)
export const tooMany = (code: string, message: string): ApiError => new ApiError(429, code, message)

export const INVALID_LOGIN = 'Invalid login credentials'
