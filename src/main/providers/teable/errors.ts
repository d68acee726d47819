/**
 * Teable's answers as sentences. Every error body is `{message, status, code, data?}`; a 429 is
 * the sign-in lockout (`data.minutes`), the per-address limit on sending emails (`data.seconds`,
 * newer servers) or a gateway's limit (`X-RateLimit-Reset`), each said as "at HH:MM"; a 5xx is
 * never shown as a bare number.
 */
import type { ErrorCode } from '../../../shared/contract.ts'
import { AppError, RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import type { Clock } from '../../core/ports.ts'
import { retryAtFrom } from '../../core/retry-at.ts'
import type { TeableAnswer, TeableResult } from './client.ts'
import type { TeableSettings } from './config.ts'

export interface TeableProblem {
  status: number
  code: string
  message: string
  data: Record<string, unknown>
}

export function problemOf(answer: TeableAnswer): TeableProblem {
  const body = typeof answer.body === 'object' && answer.body !== null ? (answer.body as Record<string, unknown>) : {}
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : {}
  return {
    status: answer.status,
    code: typeof body.code === 'string' ? body.code : '',
    message: typeof body.message === 'string' ? body.message : '',
    data,
  }
}

/** When a 429 says the caller may try again (ms since the epoch), or null if it does not say. */
export function retryAt(answer: TeableAnswer, clock: Clock): number | null {
  if (answer.status !== 429) return null
  const minutes = problemOf(answer).data.minutes
  if (typeof minutes === 'number' && minutes > 0) return clock.now() + minutes * 60_000
  // A gateway in front of Teable: X-RateLimit-Reset as Unix seconds or seconds from now, or Retry-After.
  return retryAtFrom(answer.headers, clock.now())
}

/** An email (a code, a reset link) was sent a moment ago; another may be asked for `seconds` from now. */
export function mailWait(settings: TeableSettings, seconds: number, clock: Clock): AppError {
  const at = clock.now() + seconds * 1000
  return new AppError('RATE_LIMITED', `${settings.host} sent an email a moment ago. You can ask for a new one at ${clockTime(at)} (in ${String(seconds)} seconds).`, { retryAt: at })
}

export function rateLimited(settings: TeableSettings, answer: TeableAnswer, clock: Clock): AppError {
  // mail-sender checkSendMailRateLimit: 429 with the configured interval in data.seconds.
  const seconds = problemOf(answer).data.seconds
  if (typeof seconds === 'number' && seconds > 0) return mailWait(settings, seconds, clock)
  const at = retryAt(answer, clock)
  const when = at === null ? 'Try again in a few minutes.' : `Try again at ${clockTime(at)}.`
  const lockout = typeof problemOf(answer).data.minutes === 'number'
  const what = lockout ? `${settings.host} has locked this account after too many failed sign-ins.` : `${settings.host} is limiting how often Latchkey may call it.`
  return new AppError('RATE_LIMITED', `${what} ${when}`, at === null ? {} : { retryAt: at })
}

export function unreachable(settings: TeableSettings): AppError {
  return new AppError('NETWORK', `Could not reach ${settings.host}. Check the address and your connection, then try again.`)
}

/** The server's own message as a sentence (capitalised, with a full stop). */
export function sentence(message: string): string {
  const trimmed = message.trim()
  if (trimmed === '') return ''
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/**
 * The error to show for a failed call. `doing` completes "while …" for server errors (e.g.
 * 'saving the picture'); `code` is what a 4xx becomes.
 */
export function failure(settings: TeableSettings, result: TeableResult, clock: Clock, doing: string, code: ErrorCode = 'AUTH_FAILED'): AppError {
  if (!result.ok) return unreachable(settings)
  const { answer } = result
  if (answer.status === 429) return rateLimited(settings, answer, clock)
  if (answer.status >= 500) return new AppError(code, `${settings.host} ran into a problem on its side while ${doing}. Nothing was changed; try again later.`)
  const problem = problemOf(answer)
  if (answer.status === 401) return new AppError('REFRESH_REJECTED', sessionEndedMessage(settings))
  const text = sentence(problem.message)
  return new AppError(code, text === '' ? `${settings.host} refused this while ${doing}.` : text)
}

export function sessionEndedMessage(settings: TeableSettings): string {
  return `${settings.host} has ended this session (signed out elsewhere, expired, or the password was changed). Sign in again.`
}

/** For the scheduler: a refusal stops renewals, anything else backs off and tries again. */
export function refreshFailure(settings: TeableSettings, result: TeableResult, clock: Clock, refused: string): AppError {
  if (!result.ok) return new TransientError(`Could not reach ${settings.host}.`)
  const { answer } = result
  if (answer.status === 429) {
    const limited = rateLimited(settings, answer, clock)
    return new TransientError(limited.message, limited.retryAt === undefined ? {} : { retryAt: limited.retryAt })
  }
  if (answer.status >= 500) return new TransientError(`${settings.host} ran into a problem on its side; Latchkey will try again.`)
  return new RefreshRejectedError(refused)
}
