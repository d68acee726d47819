/**
 * The role for other tools, and the password and email flows. HBP does not end sessions on a password
 * or email change (refresh tokens and JWTs live on), so the account stays signed in and the message says
 * that other devices do too. Lost password and the email-change confirmation are off on Synmetrix: HBP
 * answers them with a bare 500, said as "this server has turned … off".
 */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { hbp } from './client.ts'
import type { HbpRequest } from './client.ts'
import type { SynmetrixSettings } from './config.ts'
import type { Enrollments } from './enrollments.ts'
import { failureError } from './errors.ts'
import { hasuraClaims, isRefreshToken, profileOf } from './session.ts'
import { required, text } from '../form-values.ts'

export interface ActionInput {
  account: ProviderAccount
  settings: SynmetrixSettings
  values: FormValues
  ctx: ProviderContext
  enrollments: Enrollments
}

export const FIELDS = { old_password: 'oldPassword', new_password: 'password', new_email: 'newEmail', email: 'email', ticket: 'ticket', code: 'code' } as const

/** One call with the account's JWT; its failure as an AppError (`feature` names what a bare 500 turned off). */
export async function call(input: ActionInput, request: Omit<HbpRequest, 'bearer'>, feature?: string): Promise<{ status: number; body: unknown }> {
  const answer = await hbp(input.settings, { ...request, bearer: input.account.session.accessToken })
  if (answer.ok) return answer
  throw failureError(answer, { host: input.settings.host, now: input.ctx.clock.now(), fields: FIELDS, ...(feature === undefined ? {} : { feature }) })
}

export function chooseRole(input: ActionInput): Promise<ActionResult> {
  const { account, settings, values } = input
  const role = required(values, 'role', 'Choose a role.')
  const claims = hasuraClaims(account.session.accessToken, settings.claimsNamespace)
  if (!claims.allowedRoles.includes(role)) throw new AppError('VALIDATION', `This account’s token does not allow the role “${role}”.`, { field: 'role' })
  const profile = profileOf(account.session.accessToken, account.identity, { ...settings, role })
  return Promise.resolve({ message: `Other tools will use the role “${role}” with this account.`, config: { role }, profile })
}

function newPassword(values: FormValues): string {
  const password = required(values, 'password', 'Enter the new password.', { trim: false })
  if (text(values, 'passwordConfirm', { trim: false }) !== password) throw new AppError('VALIDATION', 'The two new passwords are not the same.', { field: 'passwordConfirm' })
  return password
}

/**
 * HBP checks the current password only when the account has one (an account made by a sign-in link
 * has none), and `old_password` is optional but never empty: an empty field is left out. Left out for
 * an account that has a password, bcrypt throws and HBP answers a 400 with no message.
 */
export async function changePassword(input: ActionInput): Promise<ActionResult> {
  const oldPassword = text(input.values, 'oldPassword', { trim: false })
  const password = newPassword(input.values)
  const json = oldPassword === '' ? { new_password: password } : { old_password: oldPassword, new_password: password }
  const answer = await hbp(input.settings, { method: 'POST', path: '/change-password', json, bearer: input.account.session.accessToken })
  if (!answer.ok) {
    if (oldPassword === '' && answer.kind === 'http' && answer.status === 400 && answer.message === '') {
      throw new AppError('VALIDATION', 'Enter your current password.', { field: 'oldPassword' })
    }
    throw failureError(answer, { host: input.settings.host, now: input.ctx.clock.now(), fields: FIELDS })
  }
  const others = 'You stay signed in here, and so do other devices: use “Sign out on all devices” to end their sessions.'
  return { message: oldPassword === '' ? `Password set: you can now sign in with it. ${others}` : `Password changed. ${others}` }
}

export async function changeEmail(input: ActionInput): Promise<ActionResult> {
  const newEmail = required(input.values, 'newEmail', 'Enter the new email address.')
  const direct = await hbp(input.settings, { method: 'POST', path: '/change-email', json: { new_email: newEmail }, bearer: input.account.session.accessToken })
  if (direct.ok) {
    const identity = { ...input.account.identity, email: newEmail }
    return { message: `Email changed to ${newEmail}.`, identity, profile: profileOf(input.account.session.accessToken, identity, input.settings) }
  }
  // A bare 500: either email changes are off, or the server wants a confirmation email (VERIFY_EMAILS).
  if (direct.kind !== 'http' || direct.status !== 500) throw failureError(direct, { host: input.settings.host, now: input.ctx.clock.now(), fields: FIELDS })
  await call(input, { method: 'POST', path: '/change-email/request', json: { new_email: newEmail } }, 'email address changes')
  return { message: `A confirmation email is on its way to ${newEmail}. Paste the ticket from it under “Finish the email change”.` }
}

export async function confirmEmailChange(input: ActionInput): Promise<ActionResult> {
  const ticket = ticketOf(input.values)
  await call(input, { method: 'POST', path: '/change-email/change', json: { ticket } }, 'confirmed email changes')
  return { message: 'Email address changed. The new address shows here after the next renewal or sign-in.' }
}

export async function requestPasswordReset(input: ActionInput): Promise<ActionResult> {
  const email = required(input.values, 'email', 'Enter the account’s email address.')
  await call(input, { method: 'POST', path: '/change-password/request', json: { email } }, 'lost-password emails')
  return { message: `If ${email} has an active account on ${input.settings.host}, an email with a reset ticket is on its way.` }
}

export async function confirmPasswordReset(input: ActionInput): Promise<ActionResult> {
  const ticket = ticketOf(input.values)
  const password = newPassword(input.values)
  await call(input, { method: 'POST', path: '/change-password/change', json: { ticket, new_password: password } }, 'lost-password emails')
  return { message: 'Password reset. Sessions already signed in stay signed in.' }
}

function ticketOf(values: FormValues): string {
  const ticket = required(values, 'ticket', 'Paste the ticket from the email.')
  const fromLink = URL.parse(ticket)?.searchParams.get('ticket') ?? ticket
  if (!isRefreshToken(fromLink)) throw new AppError('VALIDATION', 'That is not a ticket from this server’s email.', { field: 'ticket' })
  return fromLink
}
