/** POST /verify (typed code or token hash → session) and GET /verify (the emailed link → redirect). */
import { implicitFlowFields, signIn } from '../app.ts'
import type { App } from '../app.ts'
import { badRequest, forbidden } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import { confirmEmailIdentity, confirmPhoneIdentity, verifyEmailIdentity } from '../identities.ts'
import { normalisePhone } from '../store.ts'
import type { OneTimeToken, UserRow } from '../store.ts'

const EXPIRED = 'Token has expired or is invalid'
const TYPES = new Set(['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email', 'sms', 'phone_change'])

function live(app: App, otp: OneTimeToken): boolean {
  return app.now() <= otp.sentAt + app.config.otpExpSeconds * 1000
}

function matchesType(otp: OneTimeToken, type: string): boolean {
  if (type === 'email') return otp.type === 'signup' || otp.type === 'magiclink'
  return otp.type === type
}

/** User.Confirm: the address is confirmed, and marked verified in the account's metadata. */
function confirmEmail(user: UserRow, at: string): void {
  if (user.emailConfirmedAt !== null) return
  user.emailConfirmedAt = at
  user.userMetadata = { ...user.userMetadata, email_verified: true }
}

/**
 * emailChangeVerify: the code must be the one sent to `email` (the server hashes the two
 * together), and is spent once used (not by a PKCE change's first confirmation). With secure
 * change the first code accepted only answers 'partial'; the next one finishes the change.
 */
function consumeEmailChange(app: App, user: UserRow, token: string, email: string, at: string): 'done' | 'partial' {
  const change = user.emailChange
  const address = email.trim().toLowerCase()
  if (change === null || token === '') throw forbidden('otp_expired', EXPIRED)
  const spend = !change.pkce
  if (address === user.email && token === change.currentToken) change.currentToken = spend ? '' : token
  else if (address === change.address && token === change.newToken) change.newToken = spend ? '' : token
  else throw forbidden('otp_expired', EXPIRED)
  change.confirmations += 1
  if (app.config.secureEmailChange && !app.config.autoconfirm && user.email !== '' && change.confirmations < 2) return 'partial'
  finishEmailChange(app, user, change.address, at)
  return 'done'
}

/** The account's address becomes `address` (ConfirmEmailChange); an address already confirmed keeps its email_confirmed_at. */
export function finishEmailChange(app: App, user: UserRow, address: string, at: string): void {
  confirmEmailIdentity(app.store, user, address)
  user.email = address
  user.emailChange = null
  user.isAnonymous = false
  confirmEmail(user, at)
}

/** Confirms what the token was for; 'partial' when an email change still waits for the other address. */
function consume(app: App, user: UserRow, type: string, token: string, email: string): 'done' | 'partial' {
  const at = new Date(app.now()).toISOString()
  if (type === 'email_change') return consumeEmailChange(app, user, token, email, at)
  if (type === 'phone_change') {
    const change = user.phoneChange
    if (change === null || change.token === '' || change.token !== token) throw forbidden('otp_expired', EXPIRED)
    confirmPhoneIdentity(app.store, user, change.phone)
    user.phone = change.phone
    user.phoneConfirmedAt = at
    user.phoneChange = null
    user.isAnonymous = false
    return 'done'
  }
  // ConfirmPhone, on every verified text: neither the metadata nor the phone identity say verified.
  if (type === 'sms') user.phoneConfirmedAt = at
  else if (user.emailConfirmedAt === null) {
    confirmEmail(user, at)
    verifyEmailIdentity(user)
  }
  return 'done'
}

export async function verifyPost(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.json()
  const type = str(body, 'type')
  const token = str(body, 'token')
  const hash = str(body, 'token_hash')
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  if (type === '') throw badRequest('validation_failed', 'Verify requires a verification type')
  // A type the server has no token for matches no token.
  if (!TYPES.has(type)) throw forbidden('otp_expired', EXPIRED)
  let user: UserRow | undefined
  if (hash !== '') {
    const otp = app.store.takeOtp((candidate) => candidate.hash === hash.replace(/^pkce_/, '') && matchesType(candidate, type))
    if (otp === undefined || !live(app, otp)) throw forbidden('otp_expired', EXPIRED)
    user = app.store.users.get(otp.userId)
  } else if (type === 'email_change') {
    user = [...app.store.users.values()].find((candidate) => candidate.emailChange !== null && [candidate.email, candidate.emailChange.address].includes(email.toLowerCase()))
  } else if (type === 'phone_change') {
    user = [...app.store.users.values()].find((candidate) => candidate.phoneChange?.phone === normalisePhone(phone))
  } else {
    if (token === '' || (email === '' && phone === '')) throw badRequest('validation_failed', 'Verify requires either a token or a token hash')
    const owner = email !== '' ? app.store.byEmail(email) : app.store.byPhone(phone)
    const otp = owner === undefined ? undefined : app.store.takeOtp((candidate) => candidate.userId === owner.id && candidate.code === token && matchesType(candidate, type))
    if (otp === undefined || !live(app, otp)) throw forbidden('otp_expired', EXPIRED)
    user = owner
  }
  if (user === undefined) throw forbidden('otp_expired', EXPIRED)
  const outcome = consume(app, user, type, token, email)
  app.store.touch(user)
  if (outcome === 'partial') {
    sendJson(ctx, 200, { msg: 'Confirmation link accepted. Please proceed to confirm link sent to the other email', code: '200' }); return;
  }
  // verifyPost issues a new session for every type, a confirmed email or phone change included
  // (issueRefreshToken with models.OTP): a second session of the account, at aal1.
  sendJson(ctx, 200, await signIn(app, user, type === 'recovery' ? 'recovery' : 'otp'))
}

export async function verifyGet(app: App, ctx: Ctx): Promise<void> {
  const params = ctx.url.searchParams
  const raw = params.get('token') ?? ''
  const type = params.get('type') ?? ''
  const otp = app.store.takeOtp((candidate) => candidate.hash === raw.replace(/^pkce_/, '') && matchesType(candidate, type))
  const redirect = otp?.redirectTo ?? null
  if (otp === undefined || !live(app, otp) || redirect === null) {
    const target = new URL(redirect ?? app.url)
    target.hash = new URLSearchParams({ error: 'access_denied', error_code: 'otp_expired', error_description: 'Email link is invalid or has expired' }).toString()
    found(ctx, target.href); return;
  }
  const user = app.store.users.get(otp.userId)
  if (user === undefined) { found(ctx, redirect); return; }
  consume(app, user, type, '', '')
  app.store.touch(user)
  const target = new URL(redirect)
  const flow = otp.flowStateId === null ? undefined : app.store.flowStates.get(otp.flowStateId)
  if (flow !== undefined) {
    target.searchParams.set('code', flow.authCode)
    found(ctx, target.href); return;
  }
  const session = await signIn(app, user, 'otp')
  target.hash = new URLSearchParams({ ...implicitFlowFields(session), type }).toString()
  found(ctx, target.href)
}

function found(ctx: Ctx, location: string): void {
  ctx.res.writeHead(303, { location })
  ctx.res.end()
}
