/**
 * The steps of a hand-out that both paths take: the core's (TokenHandOut) and the `latchkey`
 * command's own answer when no Latchkey runs (src/cli/direct.ts): which account a request names,
 * why it is refused, what token and answer it gets, and how `latchkey accounts` shows an account.
 * Pure functions of records and sessions; light imports only (the command loads this on its hot path).
 */
import { decodeJwt } from 'jose'
import type { AccountStatus } from '../../../shared/contract.ts'
import { AppError } from '../errors.ts'
import type { HandOut, Provider } from '../provider.ts'
import type { Session } from '../sessions/session.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { findAccount, type Named } from './find-account.ts'
import { HandOutError } from './hand-out-error.ts'

export const DEFAULT_MIN_TTL_SECONDS = 60
/** The longest minimum lifetime a caller may ask for (a day): more is a mistake, not a need. */
export const MAX_MIN_TTL_SECONDS = 86_400

/** The caller's minimum remaining lifetime, in milliseconds, within the bounds. */
export function minTtlMs(seconds: number | undefined): number {
  return Math.min(Math.max(seconds ?? DEFAULT_MIN_TTL_SECONDS, 0), MAX_MIN_TTL_SECONDS) * 1000
}

export interface TokenAnswer {
  token: string
  /** ISO time, or null when the backend did not say. */
  expiresAt: string | null
  backend: string
  provider: string
  accountId: string
  role?: string
}

export interface AccountLine {
  id: string
  label: string
  provider: string
  backend: string
  email: string | null
  status: string
  expiresAt: string | null
  active: boolean
  cliAccess: boolean
}

/** The account a command line names (or the active one); HandOutError when none or several match. */
export function resolveAccount(query: string | undefined, records: readonly AccountRecord[], activeId: string | null, backendOf: (record: AccountRecord) => string): AccountRecord {
  if (query === undefined || query === '') {
    const record = activeId === null ? undefined : records.find((r) => r.id === activeId)
    if (!record) throw new HandOutError('no-account', 'Latchkey has no active account.', 'Name one: latchkey accounts lists them.')
    return record
  }
  const named: Named[] = records.map((record) => ({ record, backend: backendOf(record) }))
  const found = findAccount(query, named)
  if (found.kind === 'one') return found.record
  if (found.kind === 'many') throw new HandOutError('ambiguous', `“${query}” matches ${String(found.names.length)} accounts: ${found.names.join(', ')}.`, 'Name it by id or backend:email.')
  const closest = found.closest.length > 0 ? ` Closest: ${found.closest.join(', ')}.` : named.length === 0 ? ' Latchkey has no accounts yet.' : ''
  throw new HandOutError('no-account', `No account matches “${query}”.${closest}`, 'latchkey accounts lists them.')
}

/** The person's name for the account in a consent question or refusal. */
export function consentName(record: AccountRecord): string {
  return record.identity.email ?? record.label
}

/** How to allow command-line tools for this account. */
export function allowHint(record: AccountRecord): string {
  return `Allow it in Latchkey: open the account “${record.label}”, then turn on “Allow command-line tools”.`
}

/** Command-line access is off and nobody can be asked. */
export function notAllowed(record: AccountRecord): HandOutError {
  return new HandOutError('not-allowed', `Command-line tools may not use “${consentName(record)}”.`, allowHint(record))
}

/** Why an account's token cannot go out without a new sign-in; null when it can. */
export function attentionRefusal(current: AccountRecord, hasSession: boolean): HandOutError | null {
  if (current.signedOut || !hasSession) {
    return new HandOutError('needs-attention', `“${current.label}” needs attention: ${current.attention?.message ?? 'it is signed out.'}`, 'Sign in again in Latchkey (latchkey open).')
  }
  const reason = current.attention?.reason
  if (reason === 'refresh-rejected' || reason === 'revoked' || reason === 'expired') {
    return new HandOutError('needs-attention', `“${current.label}” needs attention: ${current.attention?.message ?? reason}`, 'Sign in again in Latchkey (latchkey open).')
  }
  return null
}

/**
 * What goes out for a fresh session: the backend's own hand-out or the session's token, and the
 * answer the command line prints. A token the backend refuses to hand out is a HandOutError.
 */
export function handOutAnswer(
  current: AccountRecord,
  fresh: { session: Session; secretConfig: Record<string, string> },
  request: { idToken?: boolean; role?: string },
  backend: { handOut?: Provider['handOut'] },
  backendName: string,
): { answer: TokenAnswer; kind: string; role?: string } {
  const options = { idToken: request.idToken === true, role: request.role ?? null }
  let given: HandOut
  try {
    given = backend.handOut
      ? backend.handOut({ config: { ...current.config, ...fresh.secretConfig }, session: fresh.session, identity: current.identity, label: current.label }, options)
      : defaultHandOut(fresh.session, options)
  } catch (error) {
    if (error instanceof AppError) throw new HandOutError('unsupported', error.message)
    throw error
  }
  return {
    kind: given.kind,
    ...(given.role === undefined ? {} : { role: given.role }),
    answer: {
      token: given.token,
      expiresAt: given.expiresAt === null ? null : new Date(given.expiresAt).toISOString(),
      backend: backendName,
      provider: current.provider,
      accountId: current.id,
      ...(given.role === undefined ? {} : { role: given.role }),
    },
  }
}

/** One line of `latchkey accounts`: no secret. */
export function accountLine(record: AccountRecord, status: AccountStatus, session: Pick<Session, 'expiresAt'> | null, backend: string, activeId: string | null): AccountLine {
  return {
    id: record.id,
    label: record.label,
    provider: record.provider,
    backend,
    email: record.identity.email,
    status,
    expiresAt: session?.expiresAt != null ? new Date(session.expiresAt).toISOString() : record.expiresAt,
    active: record.id === activeId,
    cliAccess: record.cliAccess === true,
  }
}

/** The session's own access (or ID) token; a cookie session has nothing another tool should get. */
function defaultHandOut(session: Session, options: { idToken: boolean; role: string | null }): HandOut {
  if (options.role !== null) throw new AppError('UNSUPPORTED', 'This backend has no roles to choose from (--role).')
  if (session.tokenType.toLowerCase() === 'cookie') throw new AppError('UNSUPPORTED', 'This account holds a browser session, which Latchkey never hands out.')
  if (options.idToken) {
    if (session.idToken === null) throw new AppError('UNSUPPORTED', 'This account has no ID token.')
    return { token: session.idToken, expiresAt: idTokenExpiry(session.idToken) ?? session.expiresAt, kind: 'id' }
  }
  return { token: session.accessToken, expiresAt: session.expiresAt, kind: 'access' }
}

function idTokenExpiry(token: string): number | null {
  try {
    const exp = decodeJwt(token).exp
    return typeof exp === 'number' ? exp * 1000 : null
  } catch {
    return null
  }
}
