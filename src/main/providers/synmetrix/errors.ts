/**
 * HBP's refusals as sentences a person understands. HBP answers with @hapi/boom payloads
 * `{statusCode, error, message}`; Joi's validation messages name the request's field
 * (`"email" must be a valid email`); a 500 never says why (a turned-off feature looks exactly like
 * that); a database error is a 400 with no message at all; the limiter's 429 carries X-RateLimit-Reset.
 */
import { AppError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import { minuteAtOrAfter, retryAtFrom } from '../../core/retry-at.ts'
import type { HbpAnswer } from './client.ts'

export type HbpFailure = Exclude<HbpAnswer, { ok: true }>

/** HBP's TIME_FRAME default: when a 429 says nothing about its window, assume the whole of it. */
const DEFAULT_WINDOW_MS = 15 * 60 * 1000

export function unreachable(host: string): AppError {
  return new AppError('NETWORK', `Could not reach ${host}. Check the address and your connection, then try again.`)
}

/**
 * When a rate-limited request may be tried again: HBP's express-rate-limit sends X-RateLimit-Reset
 * as Unix seconds and Retry-After as seconds from now (a proxy may send either form); else the
 * default window.
 */
export function retryAt(headers: Headers, now: number): number {
  return retryAtFrom(headers, now) ?? now + DEFAULT_WINDOW_MS
}

export function rateLimited(host: string, at: number): AppError {
  return new AppError('RATE_LIMITED', `${host} has had too many requests from this computer. Try again at ${clockTime(minuteAtOrAfter(at))}.`, { retryAt: at })
}

/** "this server has turned X off": HBP's answer for a route group it has not enabled is a bare 500. */
export function featureOff(host: string, feature: string): AppError {
  return new AppError('UNSUPPORTED', `${host} has turned ${feature} off.`)
}

/** Joi's message → the form field it is about, and a sentence. */
function joiProblem(message: string, fields: Readonly<Record<string, string>>): AppError | null {
  const match = /^"([\w.]+)" (.*)$/.exec(message)
  if (match === null) return null
  const [, name = '', rest = ''] = match
  const field = fields[name]
  let sentence: string
  if (rest === 'must be a valid email') sentence = 'Enter a valid email address. This server only accepts addresses whose domain ending it knows, such as .com or .org.'
  else if (/^length must be at least (\d+)/.test(rest)) sentence = `Use at least ${/(\d+)/.exec(rest)?.[1] ?? ''} characters.`
  else if (/^length must be less than or equal to (\d+)/.test(rest)) sentence = `Use at most ${/(\d+)/.exec(rest)?.[1] ?? ''} characters.`
  else if (/^length must be (\d+) characters long/.test(rest)) sentence = `Enter the ${/(\d+)/.exec(rest)?.[1] ?? ''}-digit code.`
  else if (rest === 'is required' || rest === 'is not allowed to be empty') sentence = 'This is required.'
  else sentence = `The server did not accept this value (${message}).`
  return new AppError('VALIDATION', sentence, field === undefined ? {} : { field })
}

/** The sentences HBP v2.7.1 sends, as Latchkey says them. */
const KNOWN: Readonly<Record<string, (host: string) => AppError>> = {
  'Account does not exist.': (host) => new AppError('AUTH_FAILED', `No account on ${host} uses that email address.`),
  'Username and password do not match': () => new AppError('AUTH_FAILED', 'Wrong email or password.'),
  'Account is not activated.': (host) =>
    new AppError('AUTH_FAILED', `This account on ${host} is not activated yet. Open the activation link from its email, or ask the administrator.`),
  'Invalid two-factor code.': () => new AppError('VALIDATION', 'That authenticator code is wrong or too old. Enter the code shown now.', { field: 'code' }),
  'Invalid or expired ticket.': () => new AppError('AUTH_FAILED', 'This step has expired or was already used. Start again.'),
  'Invalid or expired token.': () => new AppError('AUTH_FAILED', 'This link has expired or was already used. Ask for a new one.'),
  'Invalid or expired refresh token.': () => new AppError('AUTH_FAILED', 'This sign-in link or token has expired or was already used. Ask for a new one.'),
  'Account already exists.': (host) => new AppError('VALIDATION', `${host} already has an account with this email address. Sign in instead.`, { field: 'email' }),
  'Account already exists but is not activated.': (host) =>
    new AppError('VALIDATION', `${host} already has an account with this email address, waiting for activation. Open the link from its email.`, { field: 'email' }),
  'Incorrect current password.': () => new AppError('VALIDATION', 'The current password is wrong.', { field: 'oldPassword' }),
  'Cannot use this email.': () => new AppError('VALIDATION', 'That address cannot be used: another account may have it.', { field: 'newEmail' }),
  'MFA is already enabled.': () => new AppError('VALIDATION', 'Authenticator codes are already on for this account.'),
  'MFA is already disabled.': () => new AppError('VALIDATION', 'Authenticator codes are already off for this account.'),
  'OTP secret is not set.': () => new AppError('VALIDATION', 'Set up the authenticator first (“New authenticator secret”).'),
  'Not logged in': (host) => new AppError('REFRESH_REJECTED', `${host} no longer accepts this account’s access token. Sign in again.`),
  'Password is too weak.': () => new AppError('VALIDATION', 'This password appears in known data breaches. Choose another.', { field: 'password' }),
}

export interface Wording {
  host: string
  now: number
  /** Request field name → form field key (for Joi's messages). */
  fields?: Readonly<Record<string, string>>
  /** What a 500 on this route means: the name of the feature the server may have turned off. */
  feature?: string
}

/** One failed HBP call as an AppError the person can act on. */
export function failureError(failure: HbpFailure, wording: Wording): AppError {
  const { host } = wording
  if (failure.kind === 'unreachable') return unreachable(host)
  if (failure.status === 429) return rateLimited(host, retryAt(failure.headers, wording.now))
  if (failure.status === 500 && wording.feature !== undefined) return featureOff(host, wording.feature)
  const known = KNOWN[failure.message]
  if (known !== undefined) return known(host)
  const joi = failure.status === 400 ? joiProblem(failure.message, wording.fields ?? {}) : null
  if (joi !== null) return joi
  if (failure.message === '') {
    return new AppError('AUTH_FAILED', `${host} could not do this and did not say why (HTTP ${String(failure.status)}). Try again later.`)
  }
  if (failure.status >= 500) return new AppError('AUTH_FAILED', `${host} had a problem (HTTP ${String(failure.status)}). Try again later.`)
  return new AppError('AUTH_FAILED', `${host} refused: ${failure.message.replace(/\.$/, '')}.`)
}
