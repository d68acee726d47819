/**
 * Authenticator codes (HBP /auth/mfa/*): generate (a new secret, replacing any old one even while codes
 * are on), enable with a code, disable with a code. The secret is shown as a QR code made here and as
 * text ('qr' field), held in memory until codes are on.
 */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './account-actions.ts'
import { call, FIELDS } from './account-actions.ts'
import { hbp } from './client.ts'
import { failureError } from './errors.ts'
import { enrollmentKey } from './enrollments.ts'
import { required } from '../form-values.ts'

const FEATURE = 'authenticator codes'

export async function generateMfa(input: ActionInput): Promise<ActionResult> {
  const { body } = await call(input, { method: 'POST', path: '/mfa/generate' }, FEATURE)
  const secret = typeof body === 'object' && body !== null ? (body as { otp_secret?: unknown }).otp_secret : undefined
  if (typeof secret !== 'string' || !/^[A-Z2-7]+=*$/.test(secret)) throw new AppError('AUTH_FAILED', `${input.settings.host} did not send an authenticator secret.`)
  const { account, settings, ctx } = input
  input.enrollments.set(enrollmentKey(settings.host, account.identity.subject), secret, account.identity.email ?? account.identity.subject, ctx.clock.now())
  return { message: 'Add the new secret to your authenticator app under “Turn on authenticator codes”, then enter the code it shows.' }
}

function code(input: ActionInput): string {
  const value = required(input.values, 'code', 'Enter the code from your authenticator app.').replace(/\s+/g, '')
  if (!/^\d{6}$/.test(value)) throw new AppError('VALIDATION', 'Enter the 6-digit code from your authenticator app.', { field: 'code' })
  return value
}

/**
 * HBP's generate replaces the secret even while codes are on, and its enable then refuses with "MFA is
 * already enabled." before looking at the code: the new secret is already the one in use, so that is
 * said (and the pending secret dropped) rather than shown as a failure.
 */
export async function enableMfa(input: ActionInput): Promise<ActionResult> {
  const key = enrollmentKey(input.settings.host, input.account.identity.subject)
  const answer = await hbp(input.settings, { method: 'POST', path: '/mfa/enable', json: { code: code(input) }, bearer: input.account.session.accessToken })
  if (!answer.ok && answer.kind === 'http' && answer.status === 400 && answer.message === 'MFA is already enabled.' && input.enrollments.has(key, input.ctx.clock.now())) {
    input.enrollments.delete(key)
    return {
      message: 'Authenticator codes were already on for this account, and now use this new secret: the old entry in your authenticator app no longer works.',
    }
  }
  if (!answer.ok) throw failureError(answer, { host: input.settings.host, now: input.ctx.clock.now(), fields: FIELDS, feature: FEATURE })
  input.enrollments.delete(key)
  return { message: 'Authenticator codes are on: the next sign-in asks for one.' }
}

export async function disableMfa(input: ActionInput): Promise<ActionResult> {
  await call(input, { method: 'POST', path: '/mfa/disable', json: { code: code(input) } }, FEATURE)
  return { message: 'Authenticator codes are off.' }
}
