/**
 * Authing's business codes as messages a person understands. Codes from Authing's published list
 * (docs reference/error-code.md) and the SDKs (1635 second factor, 6001 wrong authenticator code,
 * 2333 wrong account or password). Which form field a code is about is the caller's to say.
 */
import { AppError } from '../../core/errors.ts'
import type { ErrorCode } from '../../../shared/contract.ts'
import { clockTime } from '../../core/iso-time.ts'
import { minuteAtOrAfter, retryAtFrom } from '../../core/retry-at.ts'
import type { AuthingFailure } from './client.ts'

/** The form field each kind of problem belongs to, where the form has one. */
export interface FieldNames {
  account?: string
  password?: string
  newPassword?: string
  oldPassword?: string
  code?: string
  oldCode?: string
  email?: string
  phone?: string
  username?: string
  value?: string
}

type Target = keyof FieldNames

const MESSAGES: Record<number, [string, Target?, ErrorCode?]> = {
  1000: ['The server is busy. Try again in a moment.', undefined, 'NETWORK'],
  1001: ['This account is not allowed to do that.', undefined, 'UNSUPPORTED'],
  2000: ['Too many failed attempts from this network: the app now asks for a picture code, which Latchkey cannot show. Try again later or sign in in the browser.', undefined, 'RATE_LIMITED'],
  2001: ['That code is not right. Check it and try again, or ask for a new one.', 'code'],
  2002: ['This app has used up its sign-ins for the month. Ask its administrator.', undefined, 'AUTH_FAILED'],
  2003: ['That is not an email address.', 'email'],
  2004: ['There is no account with that email, username or phone number.', 'account'],
  2005: ['This account is locked. Ask the app’s administrator to unlock it.', undefined, 'AUTH_FAILED'],
  2006: ['Wrong password.', 'password'],
  2011: ['This app does not exist on the server. Check the app ID.', undefined, 'DISCOVERY_FAILED'],
  2016: ['The server could not read the encrypted password. Check the app host (a different deployment uses a different key).', undefined, 'AUTH_FAILED'],
  2019: ['Confirm who you are before changing the password.', undefined, 'AUTH_FAILED'],
  2020: ['You are not signed in any more. Sign in again.', undefined, 'REFRESH_REJECTED'],
  2026: ['An account with that email, username or phone number already exists. Sign in instead.', 'account'],
  2027: ['This account was made with another sign-in method and has no password. Use that method, or reset the password.', 'password'],
  2028: ['Enter a valid phone number or email address.', 'account'],
  2029: ['The password is too short (at least 6 characters).', 'newPassword'],
  2031: ['This app does not take new registrations.', undefined, 'UNSUPPORTED'],
  2032: ['A password is required to register.', 'newPassword'],
  2034: ['That username is taken. Choose another.', 'username'],
  2035: ['That phone number already belongs to an account.', 'phone'],
  2036: ['This account does not belong to the app’s user pool.', 'account'],
  2037: ['The old email address is not the one on this account.', 'email'],
  2038: ['The old phone number is not the one on this account.', 'phone'],
  2040: ['The app has reached its number of users. Ask its administrator.', undefined, 'UNSUPPORTED'],
  2100: ['Too many requests.', undefined, 'RATE_LIMITED'],
  2200: ['That email address already belongs to an account.', 'email'],
  2201: ['Enter your current password.', 'oldPassword'],
  2203: ['The current password is wrong.', 'oldPassword'],
  2204: ['That is not an email address.', 'email'],
  2206: ['The sign-in has expired. Sign in again.', undefined, 'REFRESH_REJECTED'],
  2207: ['The sign-in is not valid any more. Sign in again.', undefined, 'REFRESH_REJECTED'],
  2217: ['This is the account’s only way to sign in, so it cannot be removed.', undefined, 'UNSUPPORTED'],
  2218: ['Add an email address before changing the password.', undefined, 'UNSUPPORTED'],
  2219: ['This account has no email address.', undefined, 'UNSUPPORTED'],
  2224: ['This user pool does not exist. Check the user pool ID.', undefined, 'DISCOVERY_FAILED'],
  2225: ['Change the email address with its own form.', undefined, 'VALIDATION'],
  2226: ['Change the phone number with its own form.', undefined, 'VALIDATION'],
  2227: ['This app also asks for a code sent to the current email address.', 'oldCode'],
  2229: ['That is already the account’s email address.', 'email'],
  2230: ['That is already the account’s phone number.', 'phone'],
  2231: ['Something is missing from the request.', 'value'],
  2300: ['That code has expired. Ask for a new one.', 'code'],
  2333: ['Wrong email, username, phone number or password.', 'password'],
  4212: ['Browser sign-in is not set up for this app (no OIDC app).', undefined, 'UNSUPPORTED'],
  6001: ['That authenticator code is not right. Use the current 6-digit code.', 'code'],
}

/** "发送过于频繁，请 42 秒后重试", "try again in 42 s": the seconds the server named, if any. */
export function secondsIn(message: string): number | null {
  const match = /(\d{1,5})\s*(?:秒|s\b|sec|second)/i.exec(message)
  return match === null ? null : Number(match[1])
}

export function rateLimited(seconds: number, now?: number): AppError {
  return new AppError('RATE_LIMITED', `Too soon: try again in ${String(seconds)} s.`, now === undefined ? {} : { retryAt: now + seconds * 1000 })
}

/**
 * When a rate-limited failure says the next try may go (ms since the epoch): a 429's headers, or
 * the seconds a 2100 "too frequent" message names; null for any other failure.
 */
export function failureRetryAt(failure: AuthingFailure, now: number): number | null {
  if (failure.kind === 'http' && failure.status === 429) return failure.headers === undefined ? null : retryAtFrom(failure.headers, now)
  if (failure.kind !== 'business') return null
  const seconds = secondsIn(failure.message)
  return seconds !== null && (failure.code === 2100 || /频繁|frequent|too many/i.test(failure.message)) ? now + seconds * 1000 : null
}

export function unreachable(host: string): AppError {
  return new AppError('NETWORK', `Could not reach ${host}. Check the app host and your connection, then try again.`)
}

/** A failure as an AppError for a form: on its field where there is one. */
export function authingError(failure: AuthingFailure, host: string, fields: FieldNames = {}, now: number = Date.now()): AppError {
  if (failure.kind === 'unreachable') return unreachable(host)
  if (failure.kind === 'http') {
    if (failure.status === 429) {
      const at = failureRetryAt(failure, now)
      if (at === null) return new AppError('RATE_LIMITED', `${host} asks to slow down. Try again in a minute.`)
      return new AppError('RATE_LIMITED', `${host} asks to slow down. Try again at ${clockTime(minuteAtOrAfter(at))}.`, { retryAt: at })
    }
    if (failure.status >= 500) return new AppError('NETWORK', `${host} could not do this right now (HTTP ${String(failure.status)}). Try again later.`)
    const said = failure.message === '' ? '' : `: ${failure.message}`
    return new AppError('AUTH_FAILED', `${host} refused the request (HTTP ${String(failure.status)}${said}).`)
  }
  const seconds = secondsIn(failure.message)
  if (seconds !== null && (failure.code === 2100 || /频繁|frequent|too many/i.test(failure.message))) return rateLimited(seconds, now)
  const known = MESSAGES[failure.code]
  if (known === undefined) {
    const said = failure.message === '' ? 'no reason given' : failure.message
    return new AppError('AUTH_FAILED', `${host} refused: ${said} (code ${String(failure.code)}).`)
  }
  const [message, target, code] = known
  const field = target === undefined ? undefined : fields[target]
  // A weak password carries the pool's own rule: show it.
  const text = failure.code === 2029 && failure.message !== '' ? `${message.replace(/ \(.*\)\.$/, '.')} ${failure.message}` : message
  if (field !== undefined) return new AppError('VALIDATION', text, { field })
  return new AppError(code ?? 'AUTH_FAILED', text)
}

/** The token died on the server (expired, logged out elsewhere): the account needs attention. */
export function isDeadToken(failure: AuthingFailure): boolean {
  return failure.kind === 'business' && (failure.code === 2020 || failure.code === 2206 || failure.code === 2207)
}
