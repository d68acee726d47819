/**
 * MFA (internal/api/mfa.go): enroll a TOTP factor (unverified until its first code), challenge,
 * verify (the session becomes aal2 and a new token pair is issued), unenroll (a verified factor only
 * from an aal2 session).
 */
import { randomUUID } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { authenticate, tokenResponse, verifiedFactors } from '../app.ts'
import type { App } from '../app.ts'
import { ApiError, badRequest, notFound, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import type { Factor, UserRow } from '../store.ts'

const CHALLENGE_SECONDS = 300

function totp(user: UserRow, factor: Factor, issuer: string): TOTP {
  return new TOTP({ issuer, label: user.email, secret: Secret.fromBase32(factor.secret), digits: 6, period: 30 })
}

export async function enroll(app: App, ctx: Ctx): Promise<void> {
  const { user } = await authenticate(app, ctx.req)
  const body = await ctx.json()
  if (str(body, 'factor_type') !== 'totp') throw badRequest('validation_failed', 'factor_type needs to be totp, phone or webauthn')
  const name = str(body, 'friendly_name')
  if (name !== '' && user.factors.some((factor) => factor.friendly_name === name)) {
    throw unprocessable('mfa_factor_name_conflict', `A factor with the friendly name "${name}" for this user already exists`)
  }
  // Unverified factors are dropped when a new one is enrolled.
  user.factors = user.factors.filter((factor) => factor.status === 'verified')
  const issuer = str(body, 'issuer') || new URL(app.url).host
  const at = new Date(app.now()).toISOString()
  const factor: Factor = { id: randomUUID(), friendly_name: name, factor_type: 'totp', status: 'unverified', secret: new Secret({ size: 20 }).base32, created_at: at, updated_at: at }
  user.factors.push(factor)
  const uri = totp(user, factor, issuer).toString()
  sendJson(ctx, 200, {
    id: factor.id,
    type: 'totp',
    friendly_name: name,
    totp: { qr_code: `data:image/svg+xml;utf-8,<svg xmlns="http://www.w3.org/2000/svg"/>`, secret: factor.secret, uri },
  })
}

function factorOf(user: UserRow, id: string): Factor {
  const factor = user.factors.find((candidate) => candidate.id === id)
  if (factor === undefined) throw notFound('mfa_factor_not_found', 'Factor not found')
  return factor
}

export async function challenge(app: App, ctx: Ctx): Promise<void> {
  const { user } = await authenticate(app, ctx.req)
  const factor = factorOf(user, ctx.params.id ?? '')
  const id = randomUUID()
  app.store.challenges.set(id, { id, factorId: factor.id, createdAt: app.now(), ip: ctx.ip })
  sendJson(ctx, 200, { id, type: 'totp', expires_at: Math.floor(app.now() / 1000) + CHALLENGE_SECONDS })
}

export async function verify(app: App, ctx: Ctx): Promise<void> {
  const { user, session } = await authenticate(app, ctx.req)
  const factor = factorOf(user, ctx.params.id ?? '')
  const body = await ctx.json()
  const found = app.store.challenges.get(str(body, 'challenge_id'))
  if (found === undefined || found.factorId !== factor.id) throw notFound('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found')
  if (app.now() > found.createdAt + CHALLENGE_SECONDS * 1000) {
    app.store.challenges.delete(found.id)
    throw unprocessable('mfa_challenge_expired', `MFA challenge ${found.id} has expired, verify against another challenge or create a new challenge.`)
  }
  const valid = totp(user, factor, '').validate({ token: str(body, 'code'), timestamp: app.now(), window: 1 }) !== null
  if (!valid) throw unprocessable('mfa_verification_failed', `Invalid TOTP code entered`)
  app.store.challenges.delete(found.id)
  if (session === undefined) throw new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  factor.status = 'verified'
  session.aal = 'aal2'
  session.amr = [...session.amr, { method: 'totp', timestamp: Math.floor(app.now() / 1000) }]
  const refresh = app.store.newRefreshToken(session.id, null)
  for (const other of app.store.refreshTokens.values()) if (other.sessionId === session.id && other !== refresh) other.revoked = true
  sendJson(ctx, 200, await tokenResponse(app, user, session, refresh.token))
}

export async function unenroll(app: App, ctx: Ctx): Promise<void> {
  const { user, claims } = await authenticate(app, ctx.req)
  const factor = factorOf(user, ctx.params.id ?? '')
  if (factor.status === 'verified' && claims.aal !== 'aal2') {
    throw new ApiError(401, 'insufficient_aal', 'AAL2 required to unenroll verified factor')
  }
  user.factors = user.factors.filter((candidate) => candidate.id !== factor.id)
  sendJson(ctx, 200, { id: factor.id })
}

export { verifiedFactors }
