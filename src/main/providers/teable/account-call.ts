/**
 * What every account action shares: the account's settings and cookie, calls that turn a dead
 * session into "needs attention", and signing in again after a change that ended every session.
 */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import type { TeableRequest, TeableResult } from './client.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { readTeableSettings } from './config.ts'
import { isTokenSession } from './credentials.ts'
import { failure, sessionEndedMessage } from './errors.ts'
import { passwordSignIn } from './session-start.ts'

export interface ActionInput {
  account: ProviderAccount
  settings: TeableSettings
  cookie: string
  values: FormValues
  ctx: ProviderContext
}

export function actionInput(account: ProviderAccount, values: FormValues, ctx: ProviderContext): ActionInput {
  if (isTokenSession(account.session)) throw new AppError('UNSUPPORTED', 'This account holds only an access token. Sign in with a password for profile and security settings.')
  return { account, settings: readTeableSettings(account.config), cookie: account.session.accessToken, values, ctx }
}

export function text(values: FormValues, key: string): string {
  const value = values[key]
  return typeof value === 'string' ? value : ''
}

/** A call with the account's cookie. */
export function sessionCall(input: ActionInput, request: Omit<TeableRequest, 'credential'>): Promise<TeableResult> {
  return teableCall(input.settings, { ...request, credential: { cookie: input.cookie } })
}

/** Whether the answer says the session is over (401, or the anonymous user). */
export function sessionGone(result: TeableResult): boolean {
  return result.ok && result.answer.status === 401
}

/** The error for a failed call, or the "session ended" result when that is what happened. */
export function endedOr(input: ActionInput, result: TeableResult, doing: string, code: 'VALIDATION' | 'AUTH_FAILED' = 'AUTH_FAILED', field?: string): ActionResult {
  if (sessionGone(result)) return { message: sessionEndedMessage(input.settings), sessionEnded: sessionEndedMessage(input.settings) }
  const error = failure(input.settings, result, input.ctx.clock, doing, code)
  throw field === undefined || error.code !== 'VALIDATION' ? error : new AppError('VALIDATION', error.message, { field })
}

/** After a change that ended every session: sign in again with the password just typed, for this one request. */
export async function signInAgain(input: ActionInput, email: string, password: string, done: string): Promise<ActionResult> {
  try {
    const signedIn = await passwordSignIn(input.settings, email, password, input.ctx)
    return { message: `${done} You are still signed in.`, session: signedIn.session, identity: signedIn.identity, profile: signedIn.profile }
  } catch (error) {
    const why = error instanceof AppError ? ` (${error.message})` : ''
    const ended = `${done} Teable ended every session of this account, and signing in again failed${why}. Sign in again.`
    return { message: ended, sessionEnded: ended }
  }
}
