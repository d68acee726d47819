/**
 * Teable's error answers (filter/global-exception.filter.ts): every error is
 * `{message, status, code, data?}` with the codes of packages/core's HttpErrorCode.
 */
export class TeableError extends Error {
  readonly status: number
  readonly code: string
  readonly data: unknown

  constructor(status: number, code: string, message: string, data?: unknown) {
    super(message)
    this.status = status
    this.code = code
    this.data = data
  }

  body(): Record<string, unknown> {
    return { message: this.message, status: this.status, code: this.code, ...(this.data === undefined ? {} : { data: this.data }) }
  }
}

export const unauthorized = (): TeableError => new TeableError(401, 'unauthorized', 'Unauthorized')
/** What Nest's guard gives a personal access token on a route it may not reach. */
export const forbidden = (): TeableError => new TeableError(403, 'restricted_resource', 'Forbidden resource')
export const badRequest = (message: string, code = 'validation_error', data?: unknown): TeableError => new TeableError(400, code, message, data)
export const conflict = (message: string): TeableError => new TeableError(409, 'conflict', message)
export const notFound = (): TeableError => new TeableError(404, 'not_found', 'Not Found')
/** Anything the server did not expect (a malformed token, a missing row…): utils/exception-parse.ts. */
export const internal = (): TeableError => new TeableError(500, 'internal_server_error', 'Internal Server Error')
/**
 * multer's size limit: Nest's 413, whose status has no code of its own (unknown_error_code), and
 * exception-parse takes the status from the code: 500.
 */
export const fileTooLarge = (): TeableError => new TeableError(500, 'unknown_error_code', 'File too large')
export const invalidCaptcha = (): TeableError => new TeableError(400, 'invalid_captcha', 'Verification code is invalid')
