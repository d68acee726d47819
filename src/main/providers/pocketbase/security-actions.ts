/**
 * Password and email flows. A password or email change rotates the record's tokenKey, which kills
 * every token of the account, the one used for the change included: Latchkey signs in again at
 * once with the password the person typed (held only for this call), so the account stays usable.
 */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './action-support.ts'
import { actionError, afterSignInAgain, ended, endedSession, newPassword, ownRecordEnded, required, signInAgain } from './action-support.ts'
import { pocketBaseClient, tokenClaim } from './client.ts'
import { isSuperusers } from './config.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, fieldError } from './errors.ts'
import type { PocketBaseFailure } from './errors.ts'
import { stringField } from './record.ts'

export async function changePassword(input: ActionInput): Promise<ActionResult> {
  const { account, settings, client, values, ctx } = input
  const oldPassword = required(values, 'oldPassword', 'Enter your current password.', { trim: false })
  const password = newPassword(values)
  if (isSuperusers(settings)) await checkSuperuserPassword(settings, account.identity.email, oldPassword, ctx.clock.now(), 'oldPassword')
  const answer = await attempt(() => client.records.update(account.identity.subject, { oldPassword, password, passwordConfirm: password }))
  if (!answer.ok) {
    const failure = answer.failure
    if (await ownRecordEnded(client, settings, failure)) return ended(settings, 'The password was not changed.')
    if (flags(failure, 'oldPassword')) throw wrongCurrentPassword()
    throw actionError(failure, settings, ctx.clock.now(), { password: 'password', passwordConfirm: 'passwordConfirm' })
  }
  ctx.logger.info('pocketbase.action.password-changed', { host: settings.host })
  // The record's email (a username where the collection has no email), as the server has it now.
  const identity = stringField(answer.value, 'email') ?? account.identity.email ?? stringField(answer.value, 'username') ?? ''
  return afterSignInAgain(
    await signInAgain(settings, identity, password, ctx),
    'Password changed. You are still signed in.',
    'Password changed.',
  )
}

export async function requestPasswordReset(input: ActionInput): Promise<ActionResult> {
  const { settings, client, values, ctx } = input
  const email = required(values, 'email', 'Enter the account’s email address.')
  const answer = await attempt(() => client.records.requestPasswordReset(email))
  if (!answer.ok) throw actionError(answer.failure, settings, ctx.clock.now(), { email: 'email' })
  return { message: `If ${email} belongs to an account on ${settings.host}, an email with a password reset link is on its way.` }
}

export async function confirmPasswordReset(input: ActionInput): Promise<ActionResult> {
  const { account, settings, client, values, ctx } = input
  const token = required(values, 'token', 'Paste the token from the reset email.')
  const password = newPassword(values)
  const answer = await attempt(() => client.records.confirmPasswordReset(token, password, password))
  if (!answer.ok) throw actionError(answer.failure, settings, ctx.clock.now(), { token: 'token', password: 'password', passwordConfirm: 'passwordConfirm' })
  const email = tokenClaim(token, 'email')
  ctx.logger.info('pocketbase.action.password-reset', { host: settings.host })
  if (email === null || email !== account.identity.email) {
    return { message: `The password of ${email ?? 'that account'} was reset. This account is unchanged.` }
  }
  return afterSignInAgain(await signInAgain(settings, email, password, ctx), 'Password reset. You are still signed in.', 'Password reset.')
}

export async function requestEmailChange(input: ActionInput): Promise<ActionResult> {
  const { settings, client, values, ctx } = input
  const newEmail = required(values, 'newEmail', 'Enter the new email address.')
  const answer = await attempt(() => client.records.requestEmailChange(newEmail))
  if (!answer.ok) {
    if (endedSession(answer.failure)) return ended(settings, 'The email change was not requested.')
    const failure = answer.failure
    const code = failure.kind === 'http' ? failure.fields.find((problem) => problem.field === 'newEmail')?.code : undefined
    if (code === 'validation_not_in_invalid') throw new AppError('VALIDATION', 'That is already this account’s email address.', { field: 'newEmail' })
    if (code === 'validation_invalid_new_email') throw new AppError('VALIDATION', 'Another account uses that address, or it is not valid.', { field: 'newEmail' })
    throw actionError(failure, settings, ctx.clock.now(), { newEmail: 'newEmail' })
  }
  return { message: `A confirmation link is on its way to ${newEmail}. Paste the token from it under “Finish the email change”.` }
}

export async function confirmEmailChange(input: ActionInput): Promise<ActionResult> {
  const { account, settings, client, values, ctx } = input
  const token = required(values, 'token', 'Paste the token from the confirmation email.')
  const password = required(values, 'password', 'Enter your current password.', { trim: false })
  const answer = await attempt(() => client.records.confirmEmailChange(token, password))
  if (!answer.ok) {
    const failure = answer.failure
    // PocketBase flags the password too when the token is bad (it has no record to check it against).
    const tokenProblem = fieldError(failure, { token: 'token' })
    if (tokenProblem !== null) throw tokenProblem
    if (flags(failure, 'password')) throw new AppError('VALIDATION', 'The password is wrong.', { field: 'password' })
    throw actionError(failure, settings, ctx.clock.now(), {})
  }
  const newEmail = tokenClaim(token, 'newEmail')
  ctx.logger.info('pocketbase.action.email-changed', { host: settings.host })
  if (newEmail === null || tokenClaim(token, 'id') !== account.identity.subject) {
    return { message: `The email address of ${newEmail === null ? 'that account' : `the account now at ${newEmail}`} was changed. This account is unchanged.` }
  }
  return afterSignInAgain(
    await signInAgain(settings, newEmail, password, ctx),
    `Email changed to ${newEmail}; signed in again.`,
    `Email changed to ${newEmail}.`,
  )
}

/**
 * A superuser's new email address, set directly on the record (PocketBase refuses superusers the
 * request/confirm flow: "All superusers can change their emails directly."). The change rotates the
 * tokenKey, so the current password, checked first, signs in again with the new address.
 */
export async function changeSuperuserEmail(input: ActionInput): Promise<ActionResult> {
  const { account, settings, client, values, ctx } = input
  const newEmail = required(values, 'newEmail', 'Enter the new email address.')
  const password = required(values, 'password', 'Enter your current password.', { trim: false })
  await checkSuperuserPassword(settings, account.identity.email, password, ctx.clock.now(), 'password')
  const answer = await attempt(() => client.records.update(account.identity.subject, { email: newEmail }))
  if (!answer.ok) {
    const { failure } = answer
    if (await ownRecordEnded(client, settings, failure)) return ended(settings, 'The email address was not changed.')
    // A taken address fails on the table's unique index; BosBase (on PostgreSQL) cannot say which field.
    if (failure.kind === 'http' && failure.status === 400 && failure.fields.length === 0) {
      throw new AppError('VALIDATION', `${settings.host} did not save ${newEmail} (it said: “${failure.message}”). Another account may already use that address.`, { field: 'newEmail' })
    }
    throw actionError(failure, settings, ctx.clock.now(), { email: 'newEmail' })
  }
  ctx.logger.info('pocketbase.action.email-changed', { host: settings.host })
  const email = stringField(answer.value, 'email') ?? newEmail
  return afterSignInAgain(await signInAgain(settings, email, password, ctx), `Email changed to ${email}; signed in again.`, `Email changed to ${email}.`)
}

/**
 * PocketBase skips the old-password check for a caller who may manage the record, and a superuser
 * manages every superuser record, its own included: the current password is checked here by
 * signing in with it. A first step that asks for a second one (MFA) means the password was right.
 */
async function checkSuperuserPassword(settings: PocketBaseSettings, email: string | null, oldPassword: string, now: number, field: string): Promise<void> {
  if (email === null) throw new AppError('UNSUPPORTED', 'Latchkey does not know this superuser’s email address, so it cannot check the current password. Sign in again.')
  const answer = await attempt(() => pocketBaseClient(settings, null).records.authWithPassword(email, oldPassword))
  if (answer.ok || answer.failure.kind === 'mfa') return
  const failure = answer.failure
  if (failure.kind === 'http' && failure.status === 400) throw wrongCurrentPassword(field)
  throw actionError(failure, settings, now, {})
}

function wrongCurrentPassword(field = 'oldPassword'): AppError {
  return new AppError('VALIDATION', 'The current password is wrong.', { field })
}

/** The server found a problem with this field of the request. */
function flags(failure: PocketBaseFailure, field: string): boolean {
  return failure.kind === 'http' && failure.fields.some((problem) => problem.field === field)
}
