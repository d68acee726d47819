/**
 * POST /token: grant_type password, refresh_token (rotation with reuse detection, RefreshTokenGrant
 * in internal/tokens/service.go) and pkce (internal/api/token.go PKCE).
 */
import { createHash } from 'node:crypto'
import { authenticateMethod } from '../verify-support.ts'
import { signIn, tokenResponse } from '../app.ts'
import type { App } from '../app.ts'
import { ApiError, badRequest, INVALID_LOGIN, notFound, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import type { UserRow } from '../store.ts'

export async function token(app: App, ctx: Ctx): Promise<void> {
  const grant = ctx.url.searchParams.get('grant_type') ?? ''
  const body = await ctx.json()
  if (grant === 'password') { sendJson(ctx, 200, await passwordGrant(app, body)); return; }
  if (grant === 'refresh_token') return refreshGrant(app, ctx, str(body, 'refresh_token'))
  if (grant === 'pkce') { sendJson(ctx, 200, await pkceGrant(app, body)); return; }
  throw badRequest('invalid_credentials', 'unsupported_grant_type')
}

async function passwordGrant(app: App, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  const password = str(body, 'password')
  if (email !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.')
  if (email !== '' && !app.config.email) throw unprocessable('email_provider_disabled', 'Email logins are disabled')
  if (phone !== '' && !app.config.phone) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled')
  let user: UserRow | undefined
  if (email !== '') user = app.store.byEmail(email)
  else if (phone !== '') user = app.store.byPhone(phone)
  else throw badRequest('validation_failed', 'missing email or phone')
  // ResourceOwnerPasswordGrant: no such user or no password, then the ban, and only then the password.
  if (user === undefined || user.password === null) throw badRequest('invalid_credentials', INVALID_LOGIN)
  if (user.banned) throw badRequest('user_banned', 'User is banned')
  if (user.password !== password) throw badRequest('invalid_credentials', INVALID_LOGIN)
  if (email !== '' && user.emailConfirmedAt === null) throw badRequest('email_not_confirmed', 'Email not confirmed')
  if (phone !== '' && user.phoneConfirmedAt === null) throw badRequest('phone_not_confirmed', 'Phone not confirmed')
  // The password grant's answer has weak_password: null when the password meets the project's rules.
  return { ...(await signIn(app, user, 'password')), weak_password: null }
}

async function refreshGrant(app: App, ctx: Ctx, presented: string): Promise<void> {
  // Anything but the server's 12 letters and digits is refused before any look-up (an empty token too).
  if (!/^[A-Za-z0-9]{12}$/.test(presented)) throw badRequest('validation_failed', 'Refresh token is not valid')
  const { store } = app
  const row = store.refreshTokens.get(presented)
  if (row === undefined) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
  const session = store.sessions.get(row.sessionId)
  const user = session === undefined ? undefined : store.users.get(session.userId)
  if (session === undefined || user === undefined) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found')
  if (user.banned) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned')
  const now = app.now()
  let issued: string | null = null
  let reuse = 'false'
  if (row.revoked) {
    const active = store.activeToken(session.id)
    if (active !== undefined && active.parent === row.token) {
      // The client never stored the last answer: give it the current child again.
      issued = active.token
      reuse = 'true'
    } else if (now > row.updatedAt + app.config.reuseIntervalSeconds * 1000) {
      for (const other of store.refreshTokens.values()) {
        if (other.sessionId === session.id && !other.revoked) {
          other.revoked = true
          other.updatedAt = now
        }
      }
      ctx.res.setHeader('x-sb-error-code', 'refresh_token_already_used')
      throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used')
    }
  }
  if (issued === null) {
    row.revoked = true
    row.updatedAt = now
    issued = store.newRefreshToken(session.id, row.token).token
  }
  session.refreshedAt = now
  const answer = await tokenResponse(app, user, session, issued)
  sendJson(ctx, 200, answer, { 'sb-auth-refresh-token-reuse': reuse, 'sb-auth-refresh-token-prefix': issued.slice(0, 5) })
}

async function pkceGrant(app: App, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const authCode = str(body, 'auth_code')
  const verifier = str(body, 'code_verifier')
  if (authCode === '' || verifier === '') {
    throw badRequest('validation_failed', 'invalid request: both auth code and code verifier should be non-empty')
  }
  const flow = [...app.store.flowStates.values()].find((candidate) => candidate.authCode === authCode && !candidate.used)
  if (flow === undefined || flow.userId === null) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found')
  if (app.now() > flow.createdAt + app.config.flowStateSeconds * 1000) {
    throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired')
  }
  const computed = flow.method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier
  if (computed !== flow.challenge) throw badRequest('bad_code_verifier', 'code challenge does not match previously saved code verifier')
  const user = app.store.users.get(flow.userId)
  if (user === undefined) throw new ApiError(404, 'user_not_found', 'User not found')
  flow.used = true
  app.store.flowStates.delete(flow.id)
  const session = await signIn(app, user, authenticateMethod(flow.authMethod))
  if (flow.authMethod !== 'oauth') return session
  return { ...session, provider_token: flow.providerAccessToken, ...(flow.providerRefreshToken === '' ? {} : { provider_refresh_token: flow.providerRefreshToken }) }
}

