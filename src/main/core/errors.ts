import type { AppErrorDto, ErrorCode } from '../../shared/contract.ts'

/** An error meant for the person using the app: its message is safe to show and to log. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field: string | undefined
  /**
   * When the server allows the next attempt (ms since the epoch): from a 429's Retry-After or
   * X-RateLimit-Reset. Background renewal does not try again before it.
   */
  readonly retryAt: number | undefined

  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown; retryAt?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.field = options?.field
    this.retryAt = options?.retryAt
  }

  toDto(): AppErrorDto {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field }
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code)
}

/**
 * Why a refresh failed, as the scheduler needs to know it: a rejected refresh stops retries and
 * marks the account; a transient failure backs off and tries again.
 */
export class RefreshRejectedError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REFRESH_REJECTED', message, options)
    this.name = 'RefreshRejectedError'
  }
}

export class TransientError extends AppError {
  constructor(message: string, options?: { cause?: unknown; retryAt?: number }) {
    super('NETWORK', message, options)
    this.name = 'TransientError'
  }
}
