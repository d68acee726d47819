/**
 * GET /auth/token/refresh, POST /auth/token/revoke, POST /auth/logout and GET /auth/jwks
 * (src/routes/auth/token/*.ts, logout.ts, jwks.ts). Refresh reads the token's row, then deletes it and
 * inserts a new one in one mutation that never checks the delete: two refreshes of one token that
 * both read the row before either rotates it both succeed, leaving two live tokens. A token that is
 * not a UUID fails the GraphQL query: a 400 with no message.
 */
import type { App } from '../app.ts'
import { loggedIn, sessionAnswer, setSessionCookies } from '../app.ts'
import { databaseError, notImplemented, unauthorized } from '../boom.ts'
import type { Ctx } from '../http.ts'
import { clearCookie, sendJson, sendNoContent } from '../http.ts'
import { isUuid, validate } from '../validation.ts'

const INVALID_REFRESH = 'Invalid or expired refresh token.'

export async function refresh(app: App, ctx: Ctx): Promise<void> {
  const token = ctx.refreshToken
  if (token === null || token.value === '') throw unauthorized(INVALID_REFRESH)
  if (!isUuid(token.value)) throw databaseError()
  const account = app.store.accountOfRefreshToken(token.value)
  if (account === undefined) throw unauthorized(INVALID_REFRESH)
  await app.refreshGate()
  const next = app.store.rotateRefreshToken(token.value, account)
  const answer = await sessionAnswer(app, account)
  if (token.type === 'cookie') {
    setSessionCookies(app, ctx, next, account)
    sendJson(ctx, 200, answer)
  } else {
    sendJson(ctx, 200, { ...answer, refresh_token: next })
  }
}

export function revoke(app: App, ctx: Ctx): void {
  const account = loggedIn(app, ctx)
  app.store.deleteAllRefreshTokens(account)
  sendNoContent(ctx)
}

/**
 * 204 whatever happens after the body is validated. `all: true` finds the user through the given
 * token, so it deletes nothing once that token has expired, been rotated or belongs to an inactive account.
 */
export function logout(app: App, ctx: Ctx): void {
  const token = ctx.refreshToken
  if (token === null || token.value === '') throw unauthorized(INVALID_REFRESH)
  if (token.type === 'cookie') {
    clearCookie(ctx, 'refresh_token')
    clearCookie(ctx, 'permission_variables')
  }
  const { all } = validate([['all', { type: 'boolean' }]], ctx.body)
  if (!isUuid(token.value)) {
    sendNoContent(ctx)
    return
  }
  if (all === true || all === 'true') {
    const account = app.store.accountOfRefreshToken(token.value)
    if (account !== undefined) app.store.deleteAllRefreshTokens(account)
  } else {
    app.store.deleteRefreshToken(token.value)
  }
  sendNoContent(ctx)
}

/** The public key set under RS256; HS256 has no public key to publish: getJwkStore throws and the route answers 501 with its message. */
export async function jwks(app: App, ctx: Ctx): Promise<void> {
  const keys = await app.jwt.jwks()
  if (keys === null) throw notImplemented('JWKS is not implemented on this server.')
  sendJson(ctx, 200, keys)
}
