/**
 * MFA (internal/api/mfa.go): enroll a TOTP or phone factor (unverified until its first code),
 * challenge (a phone factor gets its code by text message), verify (the session becomes aal2, a new
 * token pair is issued, and the user's other one-factor sessions end), unenroll (a verified factor
 * only from an aal2 session). Anonymous users may not use any of it (requireNotAnonymous).
 */
import { randomUUID } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { authenticate, sendSms, tokenResponse, verifiedFactors } from '../app.ts'
import type { App, Authenticated } from '../app.ts'
import { ApiError, badRequest, forbidden, notFound, tooMany, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import { sixDigits } from '../store.ts'
import type { Factor, UserRow } from '../store.ts'

/** MFA.ChallengeExpiryDuration and MFA.FactorExpiryDuration (an unverified factor's lifetime). */
const CHALLENGE_SECONDS = 300
const UNVERIFIED_FACTOR_SECONDS = 300
/** MFA.MaxEnrolledFactors / MaxVerifiedFactors. */
const MAX_FACTORS = 10

function totp(user: UserRow, factor: Factor, issuer: string): TOTP {
  return new TOTP({ issuer, label: user.email, secret: Secret.fromBase32(factor.secret), digits: 6, period: 30 })
}

/** requireAuthentication, then requireNotAnonymous (the JWT's is_anonymous claim). */
async function authenticateNamed(app: App, ctx: Ctx): Promise<Authenticated> {
  const found = await authenticate(app, ctx.req)
  if (found.claims.is_anonymous === true) throw forbidden('no_authorization', 'Anonymous user not allowed to perform these actions')
  return found
}

/** validateFactors: expired unverified factors go; names are unique (the empty name too); aal2 once a factor is verified. */
function validateFactors(app: App, user: UserRow, name: string, aal: unknown): void {
  user.factors = user.factors.filter((factor) => factor.status === 'verified' || app.now() <= Date.parse(factor.created_at) + UNVERIFIED_FACTOR_SECONDS * 1000)
  if (user.factors.some((factor) => factor.friendly_name === name)) {
    throw unprocessable('mfa_factor_name_conflict', `A factor with the friendly name "${name}" for this user already exists`)
  }
  if (user.factors.length >= MAX_FACTORS || verifiedFactors(user) >= MAX_FACTORS) {
    throw unprocessable('too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue')
  }
  if (verifiedFactors(user) > 0 && aal !== 'aal2') throw forbidden('insufficient_aal', 'AAL2 required to enroll a new factor')
}

export async function enroll(app: App, ctx: Ctx): Promise<void> {
  const { user, session } = await authenticateNamed(app, ctx)
  const body = await ctx.json()
  const type = str(body, 'factor_type')
  const name = str(body, 'friendly_name')
  const at = new Date(app.now()).toISOString()
  if (type === 'phone') {
    if (!app.config.mfaPhone) throw unprocessable('mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone')
    const raw = str(body, 'phone')
    if (raw === '') throw badRequest('validation_failed', 'Phone number required to enroll Phone factor')
    const phone = raw.replace(/^\+/, '').replaceAll(' ', '')
    if (!/^[1-9]\d{1,14}$/.test(phone)) throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)')
    if (user.factors.some((factor) => factor.factor_type === 'phone' && factor.phone === phone && factor.status === 'verified')) {
      throw unprocessable('mfa_verified_factor_exists', 'A verified phone factor already exists, unenroll the existing factor to continue')
    }
    user.factors = user.factors.filter((factor) => !(factor.factor_type === 'phone' && factor.phone === phone))
    validateFactors(app, user, name, session?.aal)
    const factor: Factor = { id: randomUUID(), friendly_name: name, factor_type: 'phone', status: 'unverified', secret: '', phone, lastChallengedAt: null, created_at: at, updated_at: at }
    user.factors.push(factor)
    sendJson(ctx, 200, { id: factor.id, type: 'phone', friendly_name: name, phone: raw })
    return
  }
  if (type !== 'totp') throw badRequest('validation_failed', 'factor_type needs to be totp, phone, or webauthn')
  validateFactors(app, user, name, session?.aal)
  const issuer = str(body, 'issuer') || new URL(app.url).host
  const factor: Factor = { id: randomUUID(), friendly_name: name, factor_type: 'totp', status: 'unverified', secret: new Secret({ size: 20 }).base32, phone: '', lastChallengedAt: null, created_at: at, updated_at: at }
  user.factors.push(factor)
  const uri = totp(user, factor, issuer).toString()
  // The QR code is the SVG itself; auth-js adds the data: prefix.
  sendJson(ctx, 200, { id: factor.id, type: 'totp', friendly_name: name, totp: { qr_code: '<svg xmlns="http://www.w3.org/2000/svg"/>', secret: factor.secret, uri } })
}

/** loadFactor (internal/api/admin.go): a UUID of one of the user's factors. */
function factorOf(user: UserRow, id: string): Factor {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('validation_failed', 'factor_id must be an UUID')
  const factor = user.factors.find((candidate) => candidate.id === id)
  if (factor === undefined) throw notFound('mfa_factor_not_found', 'Factor not found')
  return factor
}

export async function challenge(app: App, ctx: Ctx): Promise<void> {
  const { user } = await authenticateNamed(app, ctx)
  const factor = factorOf(user, ctx.params.id ?? '')
  let otp: string | null = null
  if (factor.factor_type === 'phone') {
    if (!app.config.mfaPhone) throw unprocessable('mfa_phone_verify_not_enabled', 'MFA verification is disabled for Phone')
    const channel = str(await ctx.json(), 'channel') || 'sms'
    if (channel !== 'sms') throw badRequest('validation_failed', "Invalid channel, supported values are 'sms' or 'whatsapp'. 'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider.")
    const wait = app.config.maxFrequencySeconds * 1000
    if (factor.lastChallengedAt !== null && app.now() < factor.lastChallengedAt + wait) {
      const seconds = Math.floor((factor.lastChallengedAt + wait - app.now()) / 1000)
      throw tooMany('over_sms_send_rate_limit', `For security purposes, you can only request this after ${String(seconds)} seconds.`)
    }
    otp = sixDigits()
    sendSms(app, factor.phone, otp)
    factor.lastChallengedAt = app.now()
  }
  const id = randomUUID()
  app.store.challenges.set(id, { id, factorId: factor.id, createdAt: app.now(), ip: ctx.ip, otp })
  sendJson(ctx, 200, { id, type: factor.factor_type, expires_at: Math.floor(app.now() / 1000) + CHALLENGE_SECONDS })
}

export async function verify(app: App, ctx: Ctx): Promise<void> {
  const { user, session } = await authenticateNamed(app, ctx)
  const factor = factorOf(user, ctx.params.id ?? '')
  const body = await ctx.json()
  const code = str(body, 'code')
  if (code === '') throw badRequest('validation_failed', 'Code needs to be non-empty')
  if (factor.factor_type === 'phone' && !app.config.mfaPhone) throw unprocessable('mfa_phone_verify_not_enabled', 'MFA verification is disabled for Phone')
  const found = app.store.challenges.get(str(body, 'challenge_id'))
  if (found === undefined || found.factorId !== factor.id) throw unprocessable('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found')
  if (found.ip !== ctx.ip) throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.')
  if (app.now() > found.createdAt + CHALLENGE_SECONDS * 1000) {
    app.store.challenges.delete(found.id)
    throw unprocessable('mfa_challenge_expired', `MFA challenge ${found.id} has expired, verify against another challenge or create a new challenge.`)
  }
  if (factor.factor_type === 'phone') {
    if (found.otp !== code) throw unprocessable('mfa_verification_failed', 'Invalid MFA Phone code entered')
  } else if (totp(user, factor, '').validate({ token: code, timestamp: app.now(), window: 1 }) === null) {
    throw unprocessable('mfa_verification_failed', 'Invalid TOTP code entered')
  }
  app.store.challenges.delete(found.id)
  if (session === undefined) throw new ApiError(500, 'unexpected_failure', 'Cannot read SessionId claim as UUID')
  factor.status = 'verified'
  session.aal = 'aal2'
  session.amr = [...session.amr, { method: factor.factor_type === 'phone' ? 'mfa/phone' : 'totp', timestamp: Math.floor(app.now() / 1000) }]
  const refresh = app.store.newRefreshToken(session.id, null)
  for (const other of app.store.refreshTokens.values()) if (other.sessionId === session.id && other !== refresh) other.revoked = true
  // InvalidateSessionsWithAALLessThan(aal2): every one-factor session of the user ends.
  for (const other of app.store.sessionsOf(user.id)) if (other.aal !== 'aal2') app.store.deleteSession(other.id)
  // DeleteUnverifiedFactors of this type.
  user.factors = user.factors.filter((other) => other.status === 'verified' || other.factor_type !== factor.factor_type)
  sendJson(ctx, 200, await tokenResponse(app, user, session, refresh.token))
}

export async function unenroll(app: App, ctx: Ctx): Promise<void> {
  const { user, session } = await authenticateNamed(app, ctx)
  const factor = factorOf(user, ctx.params.id ?? '')
  if (factor.status === 'verified' && session?.aal !== 'aal2') throw unprocessable('insufficient_aal', 'AAL2 required to unenroll verified factor')
  user.factors = user.factors.filter((candidate) => candidate.id !== factor.id)
  sendJson(ctx, 200, { id: factor.id })
}

export { verifiedFactors }
