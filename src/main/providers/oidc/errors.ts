/**
 * What went wrong in an OpenID Connect exchange, in words for the person. Messages name the host
 * and the server's own error code; they never contain a token, a code or a full callback URL.
 * oauth4webapi's errors are not kept as `cause`: they can hold response bodies and callback
 * parameters (tokens, codes), and a cause may end up serialised in a log.
 */
import * as oauth from 'oauth4webapi'
import { AppError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import { minuteAtOrAfter, retryAtFrom } from '../../core/retry-at.ts'
import { NetworkFailure } from './http.ts'

const MAX_DESCRIPTION = 200

/** "invalid_grant (the refresh token was revoked)" from an OAuth error body or redirect. */
export function describeOAuthError(code: string, description?: string | null): string {
  const safeCode = code.slice(0, 80)
  if (description === undefined || description === null || description.trim() === '') return safeCode
  return `${safeCode} (${description.trim().slice(0, MAX_DESCRIPTION)})`
}

/** The HTTP status behind an oauth4webapi error, when it came from a response. */
export function statusOf(error: unknown): number | null {
  return responseOf(error)?.status ?? null
}

/**
 * A failure of `validateAuthResponse` on the browser's redirect. `scopeAdvice` follows an
 * `invalid_scope`: what the person changes in the account's settings.
 */
export function authorizationResponseError(error: unknown, expectedState: string, host: string, scopeAdvice = ''): AppError {
  if (error instanceof oauth.AuthorizationResponseError) {
    if (error.error === 'access_denied') {
      return new AppError('AUTH_DENIED', `You declined the sign-in at ${host}.`)
    }
    const advice = error.error === 'invalid_scope' && scopeAdvice !== '' ? ` ${scopeAdvice}` : ''
    return new AppError('AUTH_FAILED', `${host} did not complete the sign-in: ${describeOAuthError(error.error, error.error_description)}.${advice}`)
  }
  const expected = (error as { cause?: { expected?: unknown } }).cause?.expected
  if (error instanceof oauth.OperationProcessingError && expected === expectedState) {
    return new AppError(
      'AUTH_STATE_MISMATCH',
      'The browser returned a sign-in answer that does not belong to this attempt, so it was ignored. Start the sign-in again.',
    )
  }
  return new AppError('AUTH_FAILED', `The answer from ${host} was not a valid sign-in response.`)
}

/** The answer behind an oauth4webapi error, when it came from one. */
function responseOf(error: unknown): Response | null {
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError) return error.response
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response) return error.cause
  return null
}

/**
 * A failure while exchanging the authorization code or validating what came back. `offlineAdvice`
 * follows a `not_allowed` (Keycloak refusing offline access): what the person changes or asks for.
 */
export function codeExchangeError(error: unknown, host: string, now: number, offlineAdvice = ''): AppError {
  if (error instanceof NetworkFailure) {
    return new AppError('NETWORK', `Could not reach ${host} to finish the sign-in. Check your connection and try again.`, { cause: error })
  }
  const response = responseOf(error)
  if (response?.status === 429) {
    // The code is spent either way: the person starts again, after the time the server gives.
    const retryAt = retryAtFrom(response.headers, now)
    const when = retryAt === null ? 'in a minute' : `after ${clockTime(minuteAtOrAfter(retryAt))}`
    return new AppError('RATE_LIMITED', `${host} asks Latchkey to slow down (HTTP 429). Sign in again ${when}.`, retryAt === null ? {} : { retryAt })
  }
  if (error instanceof oauth.ResponseBodyError) {
    const advice = error.error === 'not_allowed' && offlineAdvice !== '' ? ` ${offlineAdvice}` : ''
    return new AppError('AUTH_FAILED', `${host} refused to finish the sign-in: ${describeOAuthError(error.error, error.error_description)}.${advice}`)
  }
  const status = statusOf(error)
  if (status !== null && status >= 500) {
    return new AppError('AUTH_FAILED', `${host} had a problem finishing the sign-in (HTTP ${String(status)}). Try again.`)
  }
  if (status !== null && status !== 200) {
    return new AppError('AUTH_FAILED', `${host} refused to finish the sign-in (HTTP ${String(status)}).`)
  }
  const detail = error instanceof Error ? error.message.slice(0, MAX_DESCRIPTION) : 'unexpected answer'
  return new AppError('AUTH_FAILED', `The tokens from ${host} failed validation: ${detail}.`)
}
