/** What a failed sign-in step tells the person: something they can correct, with the form kept. */
import { AppError } from '../../core/errors.ts'
import type { PocketBaseFailure } from './errors.ts'
import { describeHttp, fieldError, rateLimited, unreachable } from './errors.ts'
import { forbiddenReason, signInForbiddenMessage } from './forbidden.ts'

export type SignInMethod =
  | { kind: 'password'; identityFields: string[] }
  | { kind: 'otp' }
  | { kind: 'otp-request'; emailField: string }
  | { kind: 'oauth2'; displayName: string }

export function signInError(failure: PocketBaseFailure, method: SignInMethod, host: string, now: number, collection: string): AppError {
  if (failure.kind === 'unreachable') return unreachable(host)
  if (failure.kind === 'mfa') return new AppError('AUTH_FAILED', `${host} asked for yet another sign-in step, which Latchkey cannot do. Start again.`)
  if (failure.status === 429) return rateLimited(failure, host, now)
  if (failure.status === 403) {
    const code = forbiddenReason(failure, collection) === 'method-off' ? 'UNSUPPORTED' : 'AUTH_FAILED'
    return new AppError(code, signInForbiddenMessage(failure, host, collection, methodName(method)))
  }
  const field = fieldError(failure, fieldNames(method))
  if (field !== null) return field
  if (failure.status === 400) {
    switch (method.kind) {
      case 'password':
        return new AppError('AUTH_FAILED', `Wrong ${wrongIdentity(method.identityFields)} or password.`)
      case 'otp':
        return new AppError('AUTH_FAILED', 'That code is wrong or has expired.')
      case 'otp-request':
        return new AppError('VALIDATION', 'Enter a valid email address to get a code.', { field: method.emailField })
      case 'oauth2':
        return new AppError('AUTH_FAILED', `${host} could not finish the sign-in with ${method.displayName}: ${describeHttp(failure)}.`)
    }
  }
  if (failure.status >= 500) return new AppError('AUTH_FAILED', `${host} had a problem with the sign-in (${describeHttp(failure)}). Try again.`)
  return new AppError('AUTH_FAILED', `${host} refused the sign-in (${describeHttp(failure)}).`)
}

/** "email", or "email, username" for a collection that signs in with either. */
function wrongIdentity(identityFields: string[]): string {
  return identityFields.length === 0 ? 'email' : identityFields.join(', ')
}

function methodName(method: SignInMethod): string {
  switch (method.kind) {
    case 'password':
      return 'Password'
    case 'otp':
    case 'otp-request':
      return 'Email code'
    case 'oauth2':
      return method.displayName
  }
}

/** The server's field names (request body) → the form's field keys. */
function fieldNames(method: SignInMethod): Record<string, string> {
  switch (method.kind) {
    case 'password':
      return { identity: 'identity', password: 'password' }
    case 'otp':
      return { otpId: 'code', password: 'code' }
    case 'otp-request':
      return { email: method.emailField }
    case 'oauth2':
      return {}
  }
}
