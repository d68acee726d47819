/**
 * POST /auth/login (password, or with MAGIC_LINK_ENABLED and no password a magic link) and
 * POST /auth/mfa/totp (src/routes/auth/login.ts, mfa/totp.ts). The order of checks is HBP's: the
 * body, the account, the magic-link branch (before `active`: it reaches inactive accounts and skips
 * TOTP), `active`, the password, then MFA (a ticket valid for 60 minutes instead of a session).
 * With ANONYMOUS_USERS_ENABLED every login body first meets a schema without `cookie` (a 400 for a
 * client that sends `cookie: false`), and `{anonymous: true}` makes a new anonymous account.
 */
import { TOTP } from 'otpauth'
import type { App } from '../app.ts'
import { answerSignedIn, sessionAnswer, setRefreshToken, usesCookie } from '../app.ts'
import { badImplementation, badRequest, databaseError, unauthorized } from '../boom.ts'
import type { Ctx } from '../http.ts'
import { sendJson } from '../http.ts'
import { validate } from '../validation.ts'
import type { Schema } from '../validation.ts'
import { magicLinkMail } from './mails.ts'

/** loginAnonymouslySchema: email and password are checked properly later; any other key is refused. */
const LOGIN_ANONYMOUSLY: Schema = [
  ['anonymous', { type: 'boolean' }],
  ['email', { type: 'string', required: false }],
  ['password', { type: 'string', required: false }],
]
const LOGIN: Schema = [
  ['email', { type: 'email', required: true }],
  ['password', { type: 'string', required: true }],
  ['cookie', { type: 'boolean' }],
]
const LOGIN_MAGIC_LINK: Schema = [
  ['email', { type: 'email', required: true }],
  ['password', { type: 'string', required: false }],
  ['cookie', { type: 'boolean' }],
]
const TOTP_LOGIN: Schema = [
  ['code', { type: 'string', required: true, length: 6 }],
  ['ticket', { type: 'uuid', required: true }],
  ['cookie', { type: 'boolean' }],
]

export async function login(app: App, ctx: Ctx): Promise<void> {
  const useCookie = usesCookie(ctx.body)
  if (app.settings.anonymousUsersEnabled) {
    const { anonymous } = validate(LOGIN_ANONYMOUSLY, ctx.body)
    if (anonymous === true || anonymous === 'true') {
      await anonymousLogin(app, ctx, useCookie)
      return
    }
  }
  const body = validate(app.settings.magicLinkEnabled ? LOGIN_MAGIC_LINK : LOGIN, ctx.body)
  const account = app.store.byEmail(body.email)
  if (account === undefined) throw badRequest('Account does not exist.')
  const password = body.password
  if (password === undefined) {
    const token = setRefreshToken(app, ctx, account, useCookie)
    if (!app.settings.emailsEnabled) throw badImplementation()
    app.outbox.send(magicLinkMail(app, account.email, token, 'log-in'))
    sendJson(ctx, 200, { magicLink: true })
    return
  }
  if (!account.active) throw badRequest('Account is not activated.')
  // bcrypt.compare(password, null) throws: an account with no password answers a 400 without a message.
  if (account.password === null) throw databaseError()
  if (password !== account.password) throw unauthorized('Username and password do not match')
  if (account.mfaEnabled) {
    const ticket = app.store.setNewTicket(account)
    sendJson(ctx, 200, { mfa: true, ticket })
    return
  }
  await answerSignedIn(app, ctx, account, useCookie)
}

/**
 * A new active account with no email or password and DEFAULT_ANONYMOUS_ROLE. HBP's answer carries the
 * refresh token only in cookie mode (the test is the other way round from every other route), which
 * is the only mode this schema lets through.
 */
async function anonymousLogin(app: App, ctx: Ctx, useCookie: boolean): Promise<void> {
  // HBP stores a null email; '' never matches a validated address.
  const account = app.store.insert({ email: '', displayName: 'Anonymous user', active: true, allowedRoles: ['anonymous'], defaultRole: 'anonymous' })
  const refreshToken = setRefreshToken(app, ctx, account, useCookie)
  const answer = await sessionAnswer(app, account)
  const user = { id: answer.user.id, display_name: answer.user.display_name }
  sendJson(ctx, 200, useCookie ? { ...answer, user, refresh_token: refreshToken } : { ...answer, user })
}

export async function totpLogin(app: App, ctx: Ctx): Promise<void> {
  const body = validate(TOTP_LOGIN, ctx.body)
  const useCookie = usesCookie(ctx.body)
  const account = app.store.byTicket(body.ticket)
  if (account === undefined) throw unauthorized('Invalid or expired ticket.')
  if (!account.mfaEnabled) throw badRequest('MFA is not enabled.')
  if (!account.active) throw badRequest('Account is not activated.')
  if (account.otpSecret === null) throw badRequest('OTP secret is not set.')
  if (!totpAccepts(account.otpSecret, String(body.code), app.now())) throw unauthorized('Invalid two-factor code.')
  app.store.rotateTicket(account)
  await answerSignedIn(app, ctx, account, useCookie)
}

/**
 * otplib's authenticator with `window: [1, 0]` (mfa/totp.ts sets it on the shared instance, so
 * enable and disable use it too): the previous 30-second code passes, the next one does not.
 */
export function totpAccepts(secret: string, code: string, now: number): boolean {
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' })
  const delta = totp.validate({ token: code, timestamp: now, window: 1 })
  if (delta === null) return false
  return delta === 0 || delta === -1
}
