/**
 * What a failure from Supabase Auth (through auth-js or a direct request) means for the person:
 * the server's error_code in plain words, a field to fix when there is one, when to try again after
 * a 429, an unreachable server, and a server that is not Supabase Auth at all.
 */
import { isAuthApiError, isAuthError, isAuthRetryableFetchError, isAuthSessionMissingError, isAuthWeakPasswordError } from '@supabase/auth-js'
import { AppError } from '../../core/errors.ts'
import { ERROR_MESSAGES } from './error-messages.ts'

/** A failed answer, whichever way the request was made. */
export interface AuthFailure {
  /** 0 when the server could not be reached. */
  status: number
  /** The server's error_code ('' when it gave none). */
  code: string
  /** The server's own words. */
  message: string
  /** weak_password.reasons */
  reasons?: string[]
  /** A 429's Retry-After / X-RateLimit-Reset (a gateway in front of the server may send them), in ms since the epoch. */
  retryAt?: number
}

/** Reads an auth-js error (AuthApiError, AuthRetryableFetchError, AuthUnknownError …) as a failure. */
export function failureOf(error: unknown): AuthFailure {
  if (isAuthWeakPasswordError(error)) return { status: error.status, code: 'weak_password', message: error.message, reasons: [...error.reasons] }
  // auth-js turns the server's session_not_found (403) into this, and forgets the session.
  if (isAuthSessionMissingError(error)) return { status: 403, code: 'session_not_found', message: error.message }
  if (isAuthApiError(error)) return { status: error.status, code: error.code ?? '', message: error.message }
  if (isAuthRetryableFetchError(error)) return { status: error.status === 0 ? 0 : error.status, code: '', message: error.message }
  if (isAuthError(error)) return { status: typeof error.status === 'number' ? error.status : -1, code: error.code ?? '', message: error.message }
  return { status: 0, code: '', message: error instanceof Error ? error.message : String(error) }
}

export function describeCode(code: string, host: string): string | null {
  const text = Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code] : undefined
  return text === undefined ? null : text.replaceAll('{host}', host)
}

export function unreachable(host: string): AppError {
  return new AppError('NETWORK', `Could not reach ${host}. Check the connection and try again.`)
}

export function notSupabase(host: string): AppError {
  return new AppError('DISCOVERY_FAILED', `${host} is not a Supabase Auth server (it did not answer like one). Check the project URL.`)
}

/** When a 429 allows the next try: the gateway's headers, else the server's "after N seconds"; null when it says neither. */
export function retryAtOf(failure: AuthFailure, now: number): number | null {
  if (failure.retryAt !== undefined) return failure.retryAt
  const seconds = Number(/after (\d+) seconds/.exec(failure.message)?.[1] ?? 'NaN')
  return Number.isFinite(seconds) && seconds > 0 ? now + seconds * 1000 : null
}

/**
 * How long a limit without a stated time lasts: the project's caps on emails and texts count per
 * hour (GOTRUE_RATE_LIMIT_EMAIL_SENT / _SMS_SENT, conf/rate.go), the request limits per 5 minutes.
 */
function windowOf(code: string): number {
  return code === 'over_email_send_rate_limit' || code === 'over_sms_send_rate_limit' ? 3_600_000 : 300_000
}

/** "after 14:05 UTC (in about 42 seconds)": from retryAtOf, else the end of the limit's window. */
export function rateLimited(failure: AuthFailure, host: string, now: number): AppError {
  const retryAt = retryAtOf(failure, now) ?? now + windowOf(failure.code)
  const wait = Math.max(1, Math.ceil((retryAt - now) / 1000))
  const until = new Date(retryAt).toISOString().slice(11, 16)
  const about = wait < 90 ? `${String(wait)} seconds` : `${String(Math.round(wait / 60))} minutes`
  const what = describeCode(failure.code, host) ?? `${host} asks to slow down.`
  return new AppError('RATE_LIMITED', `${what} Try again after ${until} UTC (in about ${about}).`, { retryAt })
}

/** Weak-password reasons (internal/api/password.go) in words. */
export function weakPasswordMessage(failure: AuthFailure): string {
  const reasons = failure.reasons ?? []
  const parts: string[] = []
  if (reasons.includes('length')) {
    const minimum = /at least (\d+) characters/.exec(failure.message)?.[1]
    parts.push(minimum === undefined ? 'It is too short.' : `It should be at least ${minimum} characters.`)
  }
  if (reasons.includes('characters')) parts.push('It needs more kinds of characters (for example lower case, upper case, digits and symbols).')
  if (reasons.includes('pwned')) parts.push('It appears in a list of leaked passwords.')
  return `Choose a stronger password. ${parts.length === 0 ? failure.message : parts.join(' ')}`.trim()
}

/**
 * `text` with the server's own words where its code is general: validation_failed is one code for
 * many refusals, and its message says which ("… did not accept what was sent (it said: “Unable to
 * validate email address: invalid format”).").
 */
function withServerWords(failure: AuthFailure, text: string | null): string | null {
  const said = failure.message.trim().slice(0, 200)
  if (text === null || failure.code !== 'validation_failed' || said === '') return text
  return `${text.replace(/\.$/, '')} (it said: “${said}”).`
}

/**
 * A failure as the AppError the person sees. `fields` names the form field a code is about
 * (e.g. { weak_password: 'password', otp_expired: 'code' }).
 */
export function authError(error: unknown, host: string, now: number, fields: Readonly<Record<string, string>> = {}): AppError {
  if (error instanceof AppError) return error
  const failure = failureOf(error)
  if (failure.status === 0) return unreachable(host)
  if (failure.status === 429) return rateLimited(failure, host, now)
  const field = fields[failure.code]
  if (failure.code === 'weak_password') return new AppError('VALIDATION', weakPasswordMessage(failure), field === undefined ? {} : { field })
  const text = withServerWords(failure, describeCode(failure.code, host))
  if (text === null) {
    if (failure.status >= 500) return new AppError('AUTH_FAILED', `${host} had a problem (HTTP ${String(failure.status)}). Try again later.`)
    // An answer that is not Supabase Auth's JSON (a web page, a proxy's error).
    if (failure.status === -1) return notSupabase(host)
    return new AppError('AUTH_FAILED', `${host} refused: ${failure.message}`)
  }
  return new AppError(field === undefined ? 'AUTH_FAILED' : 'VALIDATION', text, field === undefined ? {} : { field })
}
