/** What every route handler shares: the settings, the tables, the token signer, the outbox, the clock. */
import { badRequest, unauthorized } from './boom.ts'
import type { Ctx } from './http.ts'
import { clearCookie, sendJson, setCookie } from './http.ts'
import type { Jwt } from './jwt.ts'
import { permissionVariables } from './jwt.ts'
import type { Outbox } from './outbox.ts'
import type { Account, Store } from './store.ts'
import type { HbpSettings } from './types.ts'

export interface App {
  settings: HbpSettings
  store: Store
  jwt: Jwt
  outbox: Outbox
  now: () => number
  /** The server's own address (SERVER_URL, for links in emails). */
  url: string
  /** Every JWT handed out. */
  issuedJwts: string[]
  /** Resolves when a held refresh may continue (see HbpEmulator.holdRefreshes). */
  refreshGate: () => Promise<void>
}

/** The answer of a sign-in or refresh: `{jwt_token, jwt_expires_in, user}` (+ `refresh_token` outside cookie mode). */
export interface SessionAnswer {
  jwt_token: string | null
  jwt_expires_in: number | null
  user: { id: string; display_name: string; email: string }
  refresh_token?: string
}

/** `user` as the answers carry it: the GraphQL fragment selects no avatar_url, so JSON has none. */
export function userOf(account: Account): SessionAnswer['user'] {
  return { id: account.userId, display_name: account.displayName, email: account.email }
}

export async function sessionAnswer(app: App, account: Account): Promise<SessionAnswer> {
  const jwt = await app.jwt.sign(account)
  app.issuedJwts.push(jwt)
  return { jwt_token: jwt, jwt_expires_in: app.jwt.expiresInMs, user: userOf(account) }
}

/**
 * `cookie` defaults to true, and HBP reads the raw body value (not Joi's): any truthy value, the
 * string "false" included, selects cookie mode.
 */
export function usesCookie(body: unknown): boolean {
  const cookie = typeof body === 'object' && body !== null ? (body as { cookie?: unknown }).cookie : undefined
  return cookie === undefined ? true : Boolean(cookie)
}

/** setRefreshToken: a new row; in cookie mode also the refresh_token and (unsigned) permission_variables cookies. */
export function setRefreshToken(app: App, ctx: Ctx, account: Account, useCookie: boolean): string {
  const token = app.store.newRefreshToken(account)
  if (useCookie) setSessionCookies(app, ctx, token, account)
  else {
    clearCookie(ctx, 'refresh_token')
    clearCookie(ctx, 'permission_variables')
  }
  return token
}

/** A sign-in's 200: a new refresh token (as cookies in cookie mode, else in the body) and the session answer. */
export async function answerSignedIn(app: App, ctx: Ctx, account: Account, useCookie: boolean): Promise<void> {
  const refreshToken = setRefreshToken(app, ctx, account, useCookie)
  const answer = await sessionAnswer(app, account)
  sendJson(ctx, 200, useCookie ? answer : { ...answer, refresh_token: refreshToken })
}

export function setSessionCookies(app: App, ctx: Ctx, token: string, account: Account): void {
  const maxAge = app.settings.refreshExpiresInMinutes * 60 * 1000
  setCookie(ctx, 'refresh_token', token, maxAge, app.now())
  setCookie(ctx, 'permission_variables', JSON.stringify(permissionVariables(account)), maxAge, app.now())
}

/** The account behind the request's JWT: 401 "Not logged in" without one; a deleted account's token is HBP's 400. */
export function loggedIn(app: App, ctx: Ctx): Account {
  if (ctx.permissionVariables === null) throw unauthorized('Not logged in')
  const userId = ctx.permissionVariables['user-id']
  const account = app.store.byUserId(userId)
  if (account === undefined) throw badRequest(typeof userId === 'string' && userId !== '' ? 'Account does not exist.' : 'Invalid User Id.')
  return account
}
