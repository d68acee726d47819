/** GET/PUT /user, GET /reauthenticate, POST /logout (scope global | local | others). */
import { authenticate, sendSms, userJson, verifiedFactors } from '../app.ts'
import type { App } from '../app.ts'
import { ApiError, badRequest, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import { checkFrequency, mail } from '../mail.ts'
import { checkPasswordStrength } from '../passwords.ts'
import { sixDigits } from '../store.ts'
import type { UserRow } from '../store.ts'
import { sendPhoneToken } from './otp.ts'
import { finishEmailChange } from './verify.ts'
import { validateEmail, validatePhone } from '../validation.ts'

export async function getUser(app: App, ctx: Ctx): Promise<void> {
  const { user } = await authenticate(app, ctx.req)
  sendJson(ctx, 200, userJson(user))
}

export async function putUser(app: App, ctx: Ctx): Promise<void> {
  const { user, session, claims } = await authenticate(app, ctx.req)
  const body = await ctx.json()
  const email = str(body, 'email') === '' ? '' : validateEmail(str(body, 'email'))
  const phone = str(body, 'phone') === '' ? '' : validatePhone(str(body, 'phone'))
  const password = typeof body.password === 'string' ? body.password : null
  const nonce = str(body, 'nonce')
  if (password !== null) checkPasswordStrength(password, app.config.passwordMinLength)
  const changesCredentials = (password !== null && password !== '') || (email !== '' && email !== user.email) || (phone !== '' && phone !== user.phone)
  if (changesCredentials && verifiedFactors(user) > 0 && claims.aal !== 'aal2') {
    throw new ApiError(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.')
  }
  if (password !== null && password !== '' && user.isAnonymous && user.email === '' && email === '') {
    throw unprocessable('validation_failed', 'Updating password of an anonymous user without an email or phone is not allowed')
  }
  if (email !== '' && email !== user.email && app.store.byEmail(email) !== undefined) throw unprocessable('email_exists', 'A user with this email address has already been registered')
  if (phone !== '' && phone !== user.phone && app.store.byPhone(phone) !== undefined) throw unprocessable('phone_exists', 'A user with this phone number has already been registered')
  if (password !== null) {
    const stale = session === undefined || app.now() > session.createdAt + app.config.reauthenticationAfterSeconds * 1000
    if (app.config.requireReauthentication && stale) {
      if (nonce === '') throw badRequest('reauthentication_needed', 'Password update requires reauthentication')
      if (user.reauthNonce === null || user.reauthNonce.token !== nonce || app.now() > user.reauthNonce.sentAt + app.config.otpExpSeconds * 1000) {
        throw unprocessable('reauthentication_not_valid', 'Requires reauthentication')
      }
      user.reauthNonce = null
    }
    if (password !== '' && user.password !== null) {
      if (app.config.requireCurrentPassword && session?.recovery !== true) {
        const current = str(body, 'current_password')
        if (current === '') throw badRequest('current_password_required', 'Current password required when setting new password.')
        if (current !== user.password) throw badRequest('current_password_invalid', 'Current password required when setting new password.')
      }
      if (password === user.password) throw unprocessable('same_password', 'New password should be different from the old password.')
    }
  }
  const data = body.data
  if (data !== undefined || (password !== null && password !== '')) app.store.touch(user)
  // UpdateUserMetaData: a name set to null is removed.
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const merged = { ...user.userMetadata, ...(data as Record<string, unknown>) }
    user.userMetadata = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null))
  }
  if (password !== null && password !== '') {
    user.password = password
    app.store.forgetSentCodes(user)
    // models.User.UpdatePassword: every other session ends, this one stays.
    for (const other of app.store.sessionsOf(user.id)) if (other.id !== session?.id) app.store.deleteSession(other.id)
  }
  if (email !== '' && email !== user.email) {
    // An anonymous account adds an address without a code when the project confirms automatically.
    if (user.isAnonymous && app.config.autoconfirm) finishEmailChange(app, user, email, new Date(app.now()).toISOString())
    else sendEmailChange(app, user, email, str(body, 'code_challenge') !== '')
  }
  if (phone !== '' && phone !== user.phone) {
    user.phoneChange = { phone: phone, token: sendPhoneToken(app, user, 'phone_change', phone) }
  }
  if (password !== null && password !== '' && user.isAnonymous && user.email !== '') user.isAnonymous = false
  sendJson(ctx, 200, userJson(user))
}

/** sendEmailChange (internal/api/mail.go): new codes to the new address and, with secure change, to the current one; `pkce` when the client sent a code challenge. */
export function sendEmailChange(app: App, user: UserRow, address: string, pkce: boolean): void {
  checkFrequency(app, `${user.id}:email_change`)
  const currentToken = sixDigits()
  const newToken = sixDigits()
  // Only an address the user already has confirms too (secure email change); a first address alone.
  const secure = app.config.secureEmailChange && user.email !== ''
  user.emailChange = { address, currentToken: secure ? currentToken : '', newToken, confirmations: 0, pkce }
  if (secure) mail(app, user.email, 'email_change', currentToken, null)
  mail(app, address, 'email_change', newToken, null)
  app.store.markSent(user, 'email_change')
}

/** Reauthenticate (internal/api/reauthenticate.go): a code to the confirmed email address, or by text to the phone of an account without one. */
export async function reauthenticate(app: App, ctx: Ctx): Promise<void> {
  const { user } = await authenticate(app, ctx.req)
  if (user.email === '' && user.phone === '') throw badRequest('validation_failed', 'Reauthentication requires the user to have an email or a phone number')
  if (user.email !== '' && user.emailConfirmedAt === null) throw unprocessable('email_not_confirmed', 'Please verify your email first.')
  if (user.email === '' && user.phoneConfirmedAt === null) throw unprocessable('phone_not_confirmed', 'Please verify your phone first.')
  checkFrequency(app, `${user.id}:reauthentication`, user.email === '' ? 'over_sms_send_rate_limit' : 'over_email_send_rate_limit')
  const token = sixDigits()
  user.reauthNonce = { token, sentAt: app.now() }
  if (user.email !== '') mail(app, user.email, 'reauthentication', token, null)
  else sendSms(app, user.phone, token)
  app.store.markSent(user, 'reauthentication')
  sendJson(ctx, 200, {})
}

export async function logout(app: App, ctx: Ctx): Promise<void> {
  const scope = ctx.url.searchParams.get('scope') ?? ''
  if (!['', 'global', 'local', 'others'].includes(scope)) throw badRequest('validation_failed', `Unsupported logout scope "${scope}"`)
  const { user, session } = await authenticate(app, ctx.req)
  const sessions = app.store.sessionsOf(user.id)
  for (const other of sessions) {
    const end = session === undefined || scope === '' || scope === 'global' || (scope === 'local' ? other.id === session.id : other.id !== session.id)
    if (end) app.store.deleteSession(other.id)
  }
  ctx.res.writeHead(204)
  ctx.res.end()
}

/** DELETE /user/identities/{id} (internal/api/identity.go): only with manual linking on, never the last one. */
export async function unlinkIdentity(app: App, ctx: Ctx): Promise<void> {
  if (!app.config.manualLinking) throw new ApiError(404, 'manual_linking_disabled', 'Manual linking is disabled')
  const { user } = await authenticate(app, ctx.req)
  const id = ctx.params.id ?? ''
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ApiError(404, 'validation_failed', 'identity_id must be an UUID')
  if (user.identities.length <= 1) throw unprocessable('single_identity_not_deletable', 'User must have at least 1 identity after unlinking')
  const identity = user.identities.find((candidate) => candidate.identityId === id)
  if (identity === undefined) throw unprocessable('identity_not_found', "Identity doesn't exist")
  user.identities = user.identities.filter((candidate) => candidate.identityId !== id)
  app.store.touch(user)
  if (identity.provider === 'phone') user.phone = ''
  else if (identity.provider === 'email') user.email = ''
  sendJson(ctx, 200, {})
}
