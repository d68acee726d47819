import type { AppErrorDto, ErrorCode } from '../../shared/contract.ts'

/** An error meant for the person using the app: its message is safe to show and to log. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field: string | undefined

  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.field = options?.field
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
  constructor(message: string, options?: { cause?: unknown }) {
    super('NETWORK', message, options)
    this.name = 'TransientError'
  }
}
