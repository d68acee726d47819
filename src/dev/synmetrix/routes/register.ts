/**
 * POST /auth/register, GET /auth/activate and GET /auth/magic-link (src/routes/auth/register.ts,
 * activate.ts, magic-link.ts). With AUTO_ACTIVATE_NEW_USERS (Synmetrix) a registration is signed in
 * at once; without it and with VERIFY_EMAILS the answer has null tokens and an activation (or, with no
 * password, a magic-link) email goes out; without either the account is made inactive and the answer
 * still carries a session whose refresh token the server then refuses. Activation and magic links
 * redirect to REDIRECT_URL_SUCCESS with `?refresh_token=` appended.
 */
import type { App } from '../app.ts'
import { answerSignedIn, setRefreshToken, userOf, usesCookie } from '../app.ts'
import { badImplementation, badRequest, databaseError, unauthorized } from '../boom.ts'
import type { Boom } from '../boom.ts'
import type { Ctx } from '../http.ts'
import { redirect, sendJson } from '../http.ts'
import { isUuid, validate } from '../validation.ts'
import type { Schema } from '../validation.ts'
import { activationMail, magicLinkMail } from './mails.ts'

function registerSchema(app: App): Schema {
  const password = { type: 'string', required: !app.settings.magicLinkEnabled, min: app.settings.minPasswordLength, max: 128 } as const
  return [
    ['email', { type: 'email', required: true }],
    ['password', password],
    // REGISTRATION_CUSTOM_FIELDS is empty on Synmetrix: user_data accepts no keys.
    ['user_data', { type: 'object', keys: [] }],
    ['register_options', { type: 'object', keys: ['allowed_roles', 'default_role'] }],
    ['cookie', { type: 'boolean' }],
  ]
}

export async function register(app: App, ctx: Ctx): Promise<void> {
  const useCookie = usesCookie(ctx.body)
  const body = validate(registerSchema(app), ctx.body)
  const email = String(body.email)
  const existing = app.store.byEmail(email)
  if (existing !== undefined) throw badRequest(existing.active ? 'Account already exists.' : 'Account already exists but is not activated.')
  const options = (body.register_options ?? {}) as { allowed_roles?: unknown; default_role?: unknown }
  const allowedRoles = Array.isArray(options.allowed_roles) ? options.allowed_roles.map(String) : app.settings.defaultAllowedUserRoles
  const defaultRole = typeof options.default_role === 'string' ? options.default_role : app.settings.defaultUserRole
  if (!allowedRoles.includes(defaultRole)) throw badRequest('Default role must be part of allowed roles.')
  if (!allowedRoles.every((role) => app.settings.allowedUserRoles.includes(role))) throw badRequest('allowed roles must be a subset of ALLOWED_ROLES')
  const password = typeof body.password === 'string' ? body.password : undefined
  const account = app.store.insert({
    email,
    ...(password === undefined ? {} : { password }),
    active: app.settings.autoActivateNewUsers,
    allowedRoles,
    defaultRole,
  })
  if (!app.settings.autoActivateNewUsers && app.settings.verifyEmails) {
    if (!app.settings.emailsEnabled) throw badImplementation()
    app.outbox.send(password === undefined ? magicLinkMail(app, email, account.ticket, 'register') : activationMail(app, email, account.ticket))
    sendJson(ctx, 200, { jwt_token: null, jwt_expires_in: null, user: userOf(account) })
    return
  }
  await answerSignedIn(app, ctx, account, useCookie)
}

function successUrl(app: App): string {
  const target = app.settings.redirectUrlSuccess ?? `${app.url}/callback`
  if (target === '') throw badImplementation()
  return target
}

function withRefreshToken(target: string, token: string): string {
  return `${target}${target.includes('?') ? '&' : '?'}refresh_token=${token}`
}

/** GET /auth/activate?ticket=: activates, makes a refresh token and redirects with it. */
export function activate(app: App, ctx: Ctx): void {
  const target = successUrl(app)
  const useCookie = queryCookie(ctx)
  const { ticket } = validate([['ticket', { type: 'uuid', required: true }]], Object.fromEntries(ctx.url.searchParams))
  const account = app.store.byTicket(ticket)
  if (account === undefined || account.active) {
    failedActivation(app, ctx, unauthorized('Invalid or expired ticket.'))
    return
  }
  account.active = true
  app.store.rotateTicket(account)
  redirect(ctx, withRefreshToken(target, setRefreshToken(app, ctx, account, useCookie)))
}

/** GET /auth/magic-link?action=log-in|register&token=: `log-in` tokens already are refresh tokens. */
export function magicLink(app: App, ctx: Ctx): void {
  const query = validate(
    [
      ['token', { type: 'string', required: true }],
      ['action', { type: 'string', required: true }],
      ['cookie', { type: 'boolean' }],
    ],
    Object.fromEntries(ctx.url.searchParams),
  )
  const action = String(query.action)
  if (action !== 'log-in' && action !== 'register') throw badRequest('"action" must be one of [log-in, register]')
  const useCookie = queryCookie(ctx)
  let token = String(query.token)
  if (action === 'register') {
    // activateAccount's ticket is a uuid: any other token fails the query (a bare 400).
    const account = isUuid(token) ? app.store.byTicket(token) : undefined
    if (account === undefined || account.active) {
      failedActivation(app, ctx, isUuid(token) ? unauthorized('Invalid or expired token.') : databaseError())
      return
    }
    account.active = true
    app.store.rotateTicket(account)
    token = setRefreshToken(app, ctx, account, useCookie)
  }
  if (!isUuid(token)) throw databaseError()
  // accountOfRefreshToken checks no expiry; for an unknown token `auth_refresh_tokens?.[0].account`
  // is a TypeError, which src/errors.ts answers as a 400 without a message (never the 401 below it).
  if (app.store.accountOfRefreshToken(token, { activeOnly: false }) === undefined) throw databaseError()
  redirect(ctx, withRefreshToken(successUrl(app), token))
}

/** A ticket that activated nothing (or a failed query): REDIRECT_URL_ERROR when set, else the route's error. */
function failedActivation(app: App, ctx: Ctx, error: Boom): void {
  if (app.settings.redirectUrlError === null || app.settings.redirectUrlError === '') throw error
  redirect(ctx, app.settings.redirectUrlError)
}

/** These GET routes read `cookie` from the query: cookie mode when it is absent or exactly "true". */
function queryCookie(ctx: Ctx): boolean {
  const value = ctx.url.searchParams.get('cookie')
  return value === null ? true : value === 'true'
}
