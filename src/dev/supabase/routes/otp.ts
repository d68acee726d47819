/** POST /signup (also anonymous), /otp, /recover, /resend: everything that sends a code or a link. */
import { randomUUID } from 'node:crypto'
import { signIn, sendSms, userJson } from '../app.ts'
import type { App } from '../app.ts'
import { badRequest, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import { checkFrequency, mail, redirectTarget, verifyLink } from '../mail.ts'
import { checkPasswordStrength } from '../passwords.ts'
import { addSignUpIdentity } from '../identities.ts'
import { validateEmail, validatePhone } from '../validation.ts'
import type { OneTimeToken, UserRow } from '../store.ts'
import { sendEmailChange } from './user.ts'

interface Pkce {
  challenge: string
  method: 's256' | 'plain'
}

function pkceOf(body: Record<string, unknown>): Pkce | null {
  const challenge = str(body, 'code_challenge')
  if (challenge === '') return null
  const method = str(body, 'code_challenge_method').toLowerCase()
  if (method !== 's256' && method !== 'plain') throw badRequest('validation_failed', 'Unsupported code challenge method')
  return { challenge, method }
}

function metadata(body: Record<string, unknown>): Record<string, unknown> {
  const data = body.data
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...(data as Record<string, unknown>) } : {}
}

/** Emails a code and link of `type` to the user (a PKCE flow state when the client sent a challenge). */
export function sendEmailToken(app: App, ctx: Ctx, user: UserRow, type: OneTimeToken['type'], kind: 'confirmation' | 'magiclink' | 'recovery', pkce: Pkce | null): void {
  checkFrequency(app, `${user.id}:${kind}`)
  const redirectTo = redirectTarget(ctx.url.searchParams.get('redirect_to'))
  const flow =
    pkce === null ? null : app.store.newFlowState({ challenge: pkce.challenge, method: pkce.method, userId: user.id, authMethod: type === 'signup' ? 'email/signup' : type })
  const otp = app.store.newOtp({ userId: user.id, type, flowStateId: flow?.id ?? null, redirectTo })
  mail(app, user.email, kind, otp.code, verifyLink(app, otp.hash, type, redirectTo, flow !== null))
  // A magic link is a recovery token on the server.
  app.store.markSent(user, type === 'signup' ? 'confirmation' : 'recovery')
}

/** Texts a new code of `type` to `phone`; returns the code. */
function sendPhoneToken(app: App, user: UserRow, type: 'sms' | 'phone_change', phone: string): string {
  checkFrequency(app, `${user.id}:${type}`, 'over_sms_send_rate_limit')
  const otp = app.store.newOtp({ userId: user.id, type, flowStateId: null, redirectTo: null })
  sendSms(app, phone, otp.code)
  app.store.markSent(user, type === 'sms' ? 'confirmation' : 'phone_change')
  return otp.code
}

/**
 * sanitizeUser (signup.go): the answer to signing up an address or number that already has a
 * confirmed account, made up so that it does not tell: a new id, no role, no identities, the
 * sign-up's own data as metadata, nothing confirmed, everything "just sent".
 */
function obfuscated(app: App, user: UserRow, provider: 'email' | 'phone', data: Record<string, unknown>): Record<string, unknown> {
  const now = new Date(app.now()).toISOString()
  return {
    ...userJson(user),
    id: randomUUID(),
    role: '',
    ...(provider === 'email' ? { phone: '' } : { email: '' }),
    identities: [],
    user_metadata: data,
    app_metadata: { provider, providers: [provider] },
    created_at: now,
    updated_at: now,
    confirmation_sent_at: now,
    new_email: undefined,
    email_change_sent_at: undefined,
    email_confirmed_at: undefined,
    phone_confirmed_at: undefined,
    confirmed_at: undefined,
    last_sign_in_at: undefined,
  }
}

export async function signup(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  const password = str(body, 'password')
  if (app.config.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance')
  if (email === '' && phone === '') return anonymous(app, ctx, body)
  if (email !== '' && !app.config.email) throw badRequest('email_provider_disabled', 'Email signups are disabled')
  if (email !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.')
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password')
  if (phone !== '' && !app.config.phone) throw badRequest('phone_provider_disabled', 'Phone signups are disabled')
  // The format only (validateEmail, validatePhone); email_address_invalid comes from an email validation service this server has not.
  if (email !== '') validateEmail(email)
  if (phone !== '') validatePhone(phone)
  checkPasswordStrength(password, app.config.passwordMinLength)
  const pkce = pkceOf(body)
  let user = email !== '' ? app.store.byEmail(email) : app.store.byPhone(phone)
  if (user !== undefined) {
    const confirmed = email !== '' ? user.emailConfirmedAt !== null : user.phoneConfirmedAt !== null
    if (confirmed) {
      if (app.config.autoconfirm) throw unprocessable('user_already_exists', 'User already registered')
      sendJson(ctx, 200, obfuscated(app, user, email !== '' ? 'email' : 'phone', metadata(body))); return;
    }
  } else {
    user = app.store.createUser({ email, phone, password })
    addSignUpIdentity(app.store, user, email !== '' ? 'email' : 'phone', metadata(body))
  }
  if (app.config.autoconfirm) {
    const at = new Date(app.now()).toISOString()
    if (email !== '') user.emailConfirmedAt = at
    else user.phoneConfirmedAt = at
    sendJson(ctx, 200, await signIn(app, user, 'password')); return;
  }
  if (email !== '') sendEmailToken(app, ctx, user, 'signup', 'confirmation', pkce)
  else sendPhoneToken(app, user, 'sms', user.phone)
  sendJson(ctx, 200, userJson(user))
}

async function anonymous(app: App, ctx: Ctx, body: Record<string, unknown>): Promise<void> {
  if (!app.config.anonymousSignIns) throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled')
  const user = app.store.createUser({ isAnonymous: true, userMetadata: metadata(body) })
  sendJson(ctx, 200, await signIn(app, user, 'anonymous'))
}

export async function otp(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  const createUser = body.create_user !== false
  if (email === '' && phone === '') throw unprocessable('validation_failed', 'One of email or phone must be set')
  if (phone !== '') {
    if (!app.config.phone) throw unprocessable('phone_provider_disabled', 'Unsupported phone provider')
    let user = app.store.byPhone(phone)
    if (user === undefined) {
      if (!createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp')
      user = app.store.createUser({ phone })
      addSignUpIdentity(app.store, user, 'phone', metadata(body))
    }
    sendPhoneToken(app, user, 'sms', user.phone)
    // With the Send-SMS hook there is no provider message id: the answer is empty.
    sendJson(ctx, 200, {}); return;
  }
  if (!app.config.email) throw unprocessable('email_provider_disabled', 'Email logins are disabled')
  let user = app.store.byEmail(email)
  if (user === undefined) {
    if (!createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp')
    user = app.store.createUser({ email })
    addSignUpIdentity(app.store, user, 'email', metadata(body))
  }
  const pkce = pkceOf(body)
  if (user.emailConfirmedAt === null) sendEmailToken(app, ctx, user, 'signup', 'confirmation', pkce)
  else sendEmailToken(app, ctx, user, 'magiclink', 'magiclink', pkce)
  sendJson(ctx, 200, {})
}

export async function recover(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  const email = str(body, 'email')
  if (email === '') throw badRequest('validation_failed', 'Password recovery requires an email')
  const user = app.store.byEmail(email)
  if (user !== undefined) sendEmailToken(app, ctx, user, 'recovery', 'recovery', pkceOf(body))
  sendJson(ctx, 200, {})
}

export async function resend(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  const type = str(body, 'type')
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  if (type === 'signup') {
    const user = app.store.byEmail(email)
    if (user !== undefined && user.emailConfirmedAt === null) sendEmailToken(app, ctx, user, 'signup', 'confirmation', null)
    sendJson(ctx, 200, {}); return;
  }
  if (type === 'sms') {
    const user = app.store.byPhone(phone)
    if (user !== undefined && user.phoneConfirmedAt === null) sendPhoneToken(app, user, 'sms', user.phone)
    sendJson(ctx, 200, {}); return;
  }
  // The user is found by the address or number they have now (FindUserByEmailAndAudience /
  // ...ByPhone...), never by the pending one; nothing pending, or nobody: 200 and nothing sent.
  if (type === 'email_change') {
    if (email === '') throw badRequest('validation_failed', 'Missing email address or phone number')
    const user = app.store.byEmail(email)
    if (user?.emailChange != null) sendEmailChange(app, user, user.emailChange.address, str(body, 'code_challenge') !== '')
    sendJson(ctx, 200, {}); return;
  }
  if (type === 'phone_change') {
    if (phone === '') throw badRequest('validation_failed', 'Missing email address or phone number')
    const user = app.store.byPhone(phone)
    if (user?.phoneChange != null) user.phoneChange.token = sendPhoneToken(app, user, 'phone_change', user.phoneChange.phone)
    sendJson(ctx, 200, {}); return;
  }
  throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change')
}

export { sendPhoneToken }
