/**
 * The one place that reads the SDK's errors. `ClientResponseError` wraps every failure: status 0
 * (or an aborted request, which is how a deadline ends) means the server was not reached; otherwise
 * `.response` is the server's JSON body: `{status, message, data: {field: {code, message}}}`, or,
 * for a first sign-in step under MFA, HTTP 401 with `{mfaId}`.
 *
 * The SDK's error is never kept as an AppError's `cause`: it holds the request URL and options
 * (bodies with passwords and codes), and a cause may end up serialised in a log.
 */
import { ClientResponseError } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'

export type PocketBaseFailure =
  | { kind: 'unreachable' }
  | { kind: 'mfa'; mfaId: string }
  | { kind: 'http'; status: number; message: string; fields: FieldProblem[] }

export interface FieldProblem {
  field: string
  code: string
  message: string
}

const MAX_MESSAGE = 200
/** PocketBase's per-record OTP limiter: a fixed window of 180 s (src apis/record_auth_with_otp.go). */
export const RATE_LIMIT_WINDOW_MS = 180_000

/** What an SDK call's failure was. Anything that is not the SDK's error is a bug: rethrown. */
export function describeFailure(error: unknown): PocketBaseFailure {
  if (!(error instanceof ClientResponseError)) throw error
  if (error.status === 0 || error.isAbort) return { kind: 'unreachable' }
  const body: Record<string, unknown> = error.response
  if (error.status === 401 && typeof body.mfaId === 'string' && body.mfaId !== '') return { kind: 'mfa', mfaId: body.mfaId }
  return { kind: 'http', status: error.status, message: text(body.message), fields: fieldProblems(body.data) }
}

/** Runs one SDK call; its failure comes back described instead of thrown. */
export async function attempt<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: PocketBaseFailure }> {
  try {
    return { ok: true, value: await call() }
  } catch (error) {
    return { ok: false, failure: describeFailure(error) }
  }
}

export function unreachable(host: string): AppError {
  return new AppError('NETWORK', `Could not reach ${host}. Check the server address and your connection, then try again.`)
}

/**
 * A 429, in the words of the limiter that sent it. PocketBase's per-record OTP limiter says "Too many
 * attempts, please try again later with a new OTP." and keeps its window for 180 s, by when the code
 * in hand has usually expired (3 minutes by default); its settings rate limiter (per client IP, off by
 * default, with windows of a few seconds in its default rules) and a proxy in front answer
 * otherwise, and do not say for how long.
 */
export function rateLimited(failure: Extract<PocketBaseFailure, { kind: 'http' }>, host: string, now: number): AppError {
  if (!/too many attempts/i.test(failure.message)) {
    return new AppError('RATE_LIMITED', `${host} is turning away requests from this computer for now: too many in a short time. Wait a moment, then try again.`)
  }
  const minutes = Math.round(RATE_LIMIT_WINDOW_MS / 60_000)
  return new AppError(
    'RATE_LIMITED',
    `Too many attempts for this account. Ask for a new code after ${clockTime(now + RATE_LIMIT_WINDOW_MS)} (in about ${String(minutes)} minutes) and enter that one.`,
  )
}

/** The first problem the server found with a field, as a VALIDATION error on the form's field. */
export function fieldError(failure: PocketBaseFailure, fieldNames: Readonly<Record<string, string>>): AppError | null {
  if (failure.kind !== 'http') return null
  for (const problem of failure.fields) {
    const field = fieldNames[problem.field]
    if (field !== undefined) return new AppError('VALIDATION', problem.message || 'This value was not accepted.', { field })
  }
  return null
}

/** "HTTP 500" or the server's own sentence, for messages about failures nobody can fix in a form. */
export function describeHttp(failure: PocketBaseFailure): string {
  if (failure.kind === 'unreachable') return 'the server could not be reached'
  if (failure.kind === 'mfa') return 'a second sign-in step is required'
  return failure.message === '' ? `HTTP ${String(failure.status)}` : `${failure.message.replace(/\.$/, '')} (HTTP ${String(failure.status)})`
}

/**
 * The collection in the address does not exist, or is not an auth collection: PocketBase's 404
 * "Missing or invalid collection context." or "… auth collection context.", unlike a missing record.
 */
export function isMissingCollection(failure: PocketBaseFailure): boolean {
  return failure.kind === 'http' && failure.status === 404 && /collection context/i.test(failure.message)
}

/** PocketBase's wording for an MFA session that ran out (src apis/record_helpers.go checkMFA). */
export function isExpiredMfa(failure: PocketBaseFailure): boolean {
  return failure.kind === 'http' && failure.status === 400 && /expired mfa/i.test(failure.message)
}

/** PocketBase's wording for a second step signed in as another record than the first (checkMFA). */
export function isOtherAccountsMfa(failure: PocketBaseFailure): boolean {
  return failure.kind === 'http' && failure.status === 400 && /^invalid mfa session\.?$/i.test(failure.message)
}

function fieldProblems(data: unknown): FieldProblem[] {
  if (typeof data !== 'object' || data === null) return []
  const problems: FieldProblem[] = []
  for (const [field, value] of Object.entries(data)) {
    if (typeof value !== 'object' || value === null) continue
    const { code, message } = value as { code?: unknown; message?: unknown }
    problems.push({ field, code: text(code), message: text(message) })
  }
  return problems
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, MAX_MESSAGE) : ''
}
