/**
 * The signed-in account's own routes (src/routes/auth/change-password, change-email, mfa). A route
 * group that is turned off answers 500 with Boom's hidden message ("An internal server error
 * occurred"): HBP logs the reason and tells the client nothing. Lost password is off by default
 * (and on Synmetrix); change email is direct unless VERIFY_EMAILS.
 */
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import type { App } from '../app.ts'
import { loggedIn } from '../app.ts'
import { badImplementation, badRequest, databaseError, unauthorized } from '../boom.ts'
import type { Ctx } from '../http.ts'
import { sendJson, sendNoContent } from '../http.ts'
import { validate } from '../validation.ts'
import type { Schema } from '../validation.ts'
import { changeEmailMail, lostPasswordMail } from './mails.ts'
import { totpAccepts } from './sign-in.ts'

function passwordRule(app: App, required: boolean): Schema[number][1] {
  return { type: 'string', required, min: app.settings.minPasswordLength, max: 128 }
}

export function changePassword(app: App, ctx: Ctx): void {
  const account = loggedIn(app, ctx)
  const body = validate([['old_password', passwordRule(app, false)], ['new_password', passwordRule(app, false)]], ctx.body)
  // bcrypt.compare(undefined, hash) throws: an error without a Boom payload, so a 400 with no message.
  if (account.password !== null && body.old_password === undefined) throw databaseError()
  // Only checked when the account has a password: a magic-link account's "current password" is anything.
  if (account.password !== null && body.old_password !== account.password) throw unauthorized('Incorrect current password.')
  if (typeof body.new_password !== 'string') throw badImplementation()
  account.password = body.new_password
  sendNoContent(ctx)
}

export function lostPassword(app: App, ctx: Ctx): void {
  if (!app.settings.lostPasswordEnabled || !app.settings.emailsEnabled) throw badImplementation()
  const { email } = validate([['email', { type: 'email', required: true }]], ctx.body)
  const account = app.store.byEmail(email)
  // selectAccountByEmail throws for an unknown address and lost.ts answers its message as a 400, so
  // (despite its comment) the route does tell; an inactive account gets a 204 and no email.
  if (account === undefined) throw badRequest('Account does not exist.')
  if (account.active) app.outbox.send(lostPasswordMail(app, account.email, app.store.setNewTicket(account)))
  sendNoContent(ctx)
}

export function resetPassword(app: App, ctx: Ctx): void {
  if (!app.settings.lostPasswordEnabled) throw badImplementation()
  const body = validate([['ticket', { type: 'uuid', required: true }], ['new_password', passwordRule(app, false)]], ctx.body)
  if (typeof body.new_password !== 'string') throw badImplementation()
  const account = app.store.byTicket(body.ticket)
  if (account === undefined) throw unauthorized('Invalid or expired ticket.')
  account.password = body.new_password
  app.store.rotateTicket(account)
  sendNoContent(ctx)
}

/** getRequestInfo: logged in, a valid new address nobody uses. */
function newEmailOf(app: App, ctx: Ctx): { account: ReturnType<typeof loggedIn>; newEmail: string } {
  const account = loggedIn(app, ctx)
  const { new_email } = validate([['new_email', { type: 'email', required: true }]], ctx.body)
  const newEmail = String(new_email)
  if (app.store.byEmail(newEmail) !== undefined) throw badRequest('Cannot use this email.')
  return { account, newEmail }
}

export function changeEmailDirect(app: App, ctx: Ctx): void {
  if (!app.settings.changeEmailEnabled || app.settings.verifyEmails) throw badImplementation()
  const { account, newEmail } = newEmailOf(app, ctx)
  account.email = newEmail
  sendNoContent(ctx)
}

export function changeEmailRequest(app: App, ctx: Ctx): void {
  if (!app.settings.changeEmailEnabled || !app.settings.verifyEmails) throw badImplementation()
  const { account, newEmail } = newEmailOf(app, ctx)
  if (!app.settings.emailsEnabled) throw badImplementation()
  const ticket = app.store.setNewTicket(account)
  account.newEmail = newEmail
  app.outbox.send(changeEmailMail(app, newEmail, ticket))
  sendNoContent(ctx)
}

export function changeEmailConfirm(app: App, ctx: Ctx): void {
  if (!app.settings.changeEmailEnabled || !app.settings.verifyEmails) throw badImplementation()
  const { ticket } = validate([['ticket', { type: 'uuid', required: true }]], ctx.body)
  const account = app.store.byTicket(ticket)
  if (account === undefined) throw badRequest('Account does not exist.')
  if (account.newEmail === null) throw unauthorized('Invalid or expired ticket.')
  account.email = account.newEmail
  account.newEmail = null
  app.store.rotateTicket(account)
  sendNoContent(ctx)
}

function mfaOn(app: App): void {
  if (!app.settings.mfaEnabled) throw badImplementation()
}

/** A new secret every time, replacing the old one even while MFA is on (the old authenticator stops working). */
export async function mfaGenerate(app: App, ctx: Ctx): Promise<void> {
  mfaOn(app)
  const account = loggedIn(app, ctx)
  const secret = new Secret({ size: 10 }).base32
  account.otpSecret = secret
  app.store.issued.push(secret)
  const uri = new TOTP({ issuer: app.settings.otpIssuer, label: account.userId, secret, digits: 6, period: 30 }).toString()
  sendJson(ctx, 200, { image_url: await QRCode.toDataURL(uri), otp_secret: secret })
}

export function mfaEnable(app: App, ctx: Ctx): void {
  mfaOn(app)
  const account = loggedIn(app, ctx)
  const { code } = validate([['code', { type: 'string', required: true, length: 6 }]], ctx.body)
  if (account.mfaEnabled) throw badRequest('MFA is already enabled.')
  if (account.otpSecret === null) throw badRequest('OTP secret is not set.')
  if (!totpAccepts(account.otpSecret, String(code), app.now())) throw unauthorized('Invalid two-factor code.')
  account.mfaEnabled = true
  sendNoContent(ctx)
}

export function mfaDisable(app: App, ctx: Ctx): void {
  mfaOn(app)
  const account = loggedIn(app, ctx)
  const { code } = validate([['code', { type: 'string', required: true, length: 6 }]], ctx.body)
  if (!account.mfaEnabled) throw badRequest('MFA is already disabled.')
  if (!totpAccepts(account.otpSecret ?? '', String(code), app.now())) throw unauthorized('Invalid two-factor code.')
  account.mfaEnabled = false
  account.otpSecret = null
  sendNoContent(ctx)
}
