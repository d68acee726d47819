/**
 * What every account action shares: reading the form's values, naming the server's refusals for
 * the person, recognising a token that died elsewhere, and signing in again after a change that
 * rotated the record's tokenKey (a password or email change kills every token, this one included).
 */
import type { RecordModel } from 'pocketbase'
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { pocketBaseClient } from './client.ts'
import type { PocketBaseClient } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, describeHttp, fieldError, rateLimited, unreachable } from './errors.ts'
import type { PocketBaseFailure } from './errors.ts'
import { signedInFrom } from './record.ts'
import { isDeadTokenStatus, sessionEndedMessage } from './session-ended.ts'

/** One action's inputs. */
export interface ActionInput {
  account: ProviderAccount
  settings: PocketBaseSettings
  client: PocketBaseClient
  values: FormValues
  ctx: ProviderContext
}

export { newPassword, required, text } from '../form-values.ts'

/** The token died elsewhere: a route that needs a signed-in caller answered 401. */
export function endedSession(failure: PocketBaseFailure): boolean {
  return failure.kind === 'http' && failure.status === 401
}

/**
 * A refusal on the account's own record: 401 is a dead token; 403/404 may be one too (PocketBase
 * treats an invalid token as a guest, whom the record's rules do not let in), or a live token whose
 * collection's rules do not let users see or change their own record: auth-refresh says which.
 */
export async function ownRecordEnded(client: PocketBaseClient, settings: PocketBaseSettings, failure: PocketBaseFailure): Promise<boolean> {
  if (failure.kind !== 'http' || !isDeadTokenStatus(failure.status)) return false
  return failure.status === 401 || (await liveRecord(client, settings)) === null
}

/**
 * The account's record as auth-refresh returns it (whatever the collection's view rule), or null
 * when the server refuses the token. Sent past the SDK's auth store, whose token stays the account's.
 */
export async function liveRecord(client: PocketBaseClient, settings: PocketBaseSettings): Promise<RecordModel | null> {
  const path = `/api/collections/${encodeURIComponent(settings.collection)}/auth-refresh`
  const answer = await attempt(() => client.pb.send<{ record?: RecordModel }>(path, { method: 'POST' }))
  if (answer.ok) return answer.value.record ?? null
  const failure = answer.failure
  if (failure.kind === 'unreachable') throw unreachable(settings.host)
  if (failure.kind === 'http' && isDeadTokenStatus(failure.status)) return null
  throw new AppError('AUTH_FAILED', `${settings.host} could not say whether this session still works (${describeHttp(failure)}).`)
}

export function ended(settings: PocketBaseSettings, message: string): ActionResult {
  return { message, sessionEnded: sessionEndedMessage(settings.host) }
}

/** A refusal the person can act on: a field's problem, a limit, a turned-off feature, or the server's words. */
export function actionError(failure: PocketBaseFailure, settings: PocketBaseSettings, now: number, fields: Readonly<Record<string, string>>): AppError {
  if (failure.kind === 'unreachable') return unreachable(settings.host)
  const field = fieldError(failure, fields)
  if (field !== null) return field
  if (failure.kind === 'http' && failure.status === 429) return rateLimited(failure, settings.host, now)
  if (failure.kind === 'http' && failure.status === 403) return new AppError('UNSUPPORTED', `${settings.host} does not allow this for this account.`)
  return new AppError('AUTH_FAILED', `${settings.host} refused: ${describeHttp(failure)}.`)
}

/**
 * Signs in again with the password the person just set or typed (held only for this call), after
 * the server rotated the token. Either a new sign-in, or why the account must sign in by hand.
 */
export async function signInAgain(
  settings: PocketBaseSettings,
  identity: string,
  password: string,
  ctx: ProviderContext,
): Promise<{ signedIn: SignedIn } | { ended: string }> {
  const { records } = pocketBaseClient(settings, null)
  const answer = await attempt(() => records.authWithPassword(identity, password))
  const host = settings.host
  if (answer.ok) {
    try {
      return { signedIn: signedInFrom(answer.value.token, answer.value.record, ctx.clock.now(), host) }
    } catch (error) {
      return { ended: (error as Error).message }
    }
  }
  const failure = answer.failure
  ctx.logger.warn('pocketbase.action.sign-in-again-failed', { host, reason: failure.kind === 'http' ? failure.status : failure.kind })
  if (failure.kind === 'mfa') return { ended: `${host} asks for a second sign-in step, so Latchkey could not sign in again by itself. Sign in again.` }
  if (failure.kind === 'unreachable') return { ended: `Could not reach ${host} to sign in again. Sign in again.` }
  return { ended: `${host} did not let Latchkey sign in again (${describeHttp(failure)}). Sign in again.` }
}

/** The result of an action that rotated the token, after signing in again. */
export function afterSignInAgain(outcome: { signedIn: SignedIn } | { ended: string }, message: string, messageIfEnded: string): ActionResult {
  if ('ended' in outcome) return { message: messageIfEnded, sessionEnded: outcome.ended }
  const { session, identity, profile } = outcome.signedIn
  return { message, session, identity, profile }
}
