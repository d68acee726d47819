/**
 * Change password, add a password, change email (code to the new address + current password), and
 * reset by email. Each change ends every session of the user on Teable: Latchkey signs in again at
 * once with the password just typed, held for that one request only.
 */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './account-call.ts'
import { endedOr, sessionCall, signInAgain, text } from './account-call.ts'
import { problemOf } from './errors.ts'
import { passwordRuleProblem, resetCodeFrom } from './sign-in-forms.ts'

/** Change-email tokens between "Send code" and "Change email", per Teable user, in memory only. */
export type PendingEmails = Map<string, { email: string; token: string; expiresAt: number }>

function newPassword(input: ActionInput): string {
  const password = text(input.values, 'newPassword')
  const problem = passwordRuleProblem(password)
  if (problem !== null) throw new AppError('VALIDATION', problem, { field: 'newPassword' })
  if (password !== text(input.values, 'confirm')) throw new AppError('VALIDATION', 'The two new passwords are not the same.', { field: 'confirm' })
  return password
}

function email(input: ActionInput): string {
  const address = input.account.identity.email
  if (address === null) throw new AppError('UNSUPPORTED', 'Teable did not tell Latchkey this account’s email address. Sign in again.')
  return address
}

function wrongPassword(input: ActionInput, result: Awaited<ReturnType<typeof sessionCall>>): boolean {
  return result.ok && result.answer.status === 400 && /password/i.test(problemOf(result.answer).message) && input.values.password !== undefined
}

export async function changePassword(input: ActionInput): Promise<ActionResult> {
  const password = newPassword(input)
  const result = await sessionCall(input, { method: 'PATCH', path: '/auth/change-password', json: { password: text(input.values, 'password'), newPassword: password } })
  if (wrongPassword(input, result)) throw new AppError('VALIDATION', 'The current password is wrong.', { field: 'password' })
  if (!result.ok || result.answer.status !== 200) return endedOr(input, result, 'changing the password')
  return signInAgain(input, email(input), password, 'Password changed.')
}

export async function addPassword(input: ActionInput): Promise<ActionResult> {
  const password = newPassword(input)
  const result = await sessionCall(input, { method: 'POST', path: '/auth/add-password', json: { password } })
  if (!result.ok || (result.answer.status !== 201 && result.answer.status !== 200)) return endedOr(input, result, 'adding the password', 'VALIDATION', 'newPassword')
  return signInAgain(input, email(input), password, 'Password added.')
}

export async function sendEmailCode(input: ActionInput, pending: PendingEmails): Promise<ActionResult> {
  // Lower-cased: Teable stores the new address as typed but looks addresses up lower-cased, so one
  // with capitals could never sign in again.
  const address = text(input.values, 'email').trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) throw new AppError('VALIDATION', 'Enter the new email address.', { field: 'email' })
  const result = await sessionCall(input, { method: 'POST', path: '/auth/send-change-email-code', json: { email: address, password: text(input.values, 'password') } })
  if (wrongPassword(input, result)) throw new AppError('VALIDATION', 'The current password is wrong.', { field: 'password' })
  if (result.ok && result.answer.status === 409) throw new AppError('VALIDATION', `${address} is this account’s address already, or another account’s.`, { field: 'email' })
  const token = result.ok ? (result.answer.body as { token?: unknown } | null)?.token : undefined
  if (!result.ok || result.answer.status !== 200 || typeof token !== 'string') return endedOr(input, result, 'sending the code', 'VALIDATION', 'email')
  pending.set(input.account.identity.subject, { email: address, token, expiresAt: input.ctx.clock.now() + 30 * 60_000 })
  return { message: `Teable sent a code to ${address}. Enter it under “Confirm ${address}”.` }
}

export async function confirmEmail(input: ActionInput, pending: PendingEmails): Promise<ActionResult> {
  const change = pending.get(input.account.identity.subject)
  if (change === undefined || change.expiresAt <= input.ctx.clock.now()) throw new AppError('VALIDATION', 'Ask for a new code first: the last one has expired.', { field: 'code' })
  const result = await sessionCall(input, { method: 'PATCH', path: '/auth/change-email', json: { email: change.email, token: change.token, code: text(input.values, 'code').trim() } })
  if (result.ok && result.answer.status === 400) throw new AppError('VALIDATION', 'That code is not right, or it has expired.', { field: 'code' })
  if (!result.ok || result.answer.status !== 200) return endedOr(input, result, 'changing the email')
  pending.delete(input.account.identity.subject)
  return signInAgain(input, change.email, text(input.values, 'password'), `Email changed to ${change.email}.`)
}

export async function requestReset(input: ActionInput): Promise<ActionResult> {
  const address = email(input)
  const result = await sessionCall(input, { method: 'POST', path: '/auth/send-reset-password-email', json: { email: address } })
  if (!result.ok || (result.answer.status !== 201 && result.answer.status !== 200)) return endedOr(input, result, 'sending the reset email')
  return { message: `Teable emailed a reset link to ${address}. Paste it under “Finish a password reset”.` }
}

export async function confirmReset(input: ActionInput): Promise<ActionResult> {
  const password = newPassword(input)
  const result = await sessionCall(input, { method: 'POST', path: '/auth/reset-password', json: { password, code: resetCodeFrom(text(input.values, 'code')) } })
  if (result.ok && result.answer.status === 400 && /token/i.test(problemOf(result.answer).message)) {
    throw new AppError('VALIDATION', 'That link or code is not valid any more (it works once, for 30 minutes). Ask for a new email.', { field: 'code' })
  }
  if (!result.ok || (result.answer.status !== 201 && result.answer.status !== 200)) return endedOr(input, result, 'setting the new password', 'VALIDATION', 'newPassword')
  return signInAgain(input, email(input), password, 'Password reset.')
}
