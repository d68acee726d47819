/** GET /health, GET /settings, and the admin routes tests use to set up people (service_role key). */
import type { IncomingMessage } from 'node:http'
import { userJson } from '../app.ts'
import type { App } from '../app.ts'
import { forbidden, unprocessable } from '../errors.ts'
import { sendJson, str } from '../http.ts'
import type { Ctx } from '../http.ts'
import { verifyJwt } from '../jwt.ts'
import { addAdminIdentities } from '../identities.ts'

export function health(_app: App, ctx: Ctx): void {
  sendJson(ctx, 200, { version: 'emulator', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' })
}

export function settings(app: App, ctx: Ctx): void {
  sendJson(ctx, 200, {
    external: { anonymous_users: app.config.anonymousSignIns, email: app.config.email, phone: app.config.phone, keycloak: app.config.keycloak !== undefined, github: false, google: false },
    disable_signup: app.config.disableSignup,
    mailer_autoconfirm: app.config.autoconfirm,
    phone_autoconfirm: false,
    sms_provider: app.config.phone ? 'hook' : '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  })
}

async function requireAdmin(app: App, req: IncomingMessage): Promise<void> {
  const token = /^bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
  const claims = await verifyJwt(app.secret, token, app.now())
  if (claims?.role !== 'service_role') throw forbidden('not_admin', 'User not allowed')
}

export async function createUser(app: App, ctx: Ctx): Promise<void> {
  await requireAdmin(app, ctx.req)
  const body = await ctx.json()
  const email = str(body, 'email')
  const phone = str(body, 'phone')
  if ((email !== '' && app.store.byEmail(email) !== undefined) || (phone !== '' && app.store.byPhone(phone) !== undefined)) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered')
  }
  const at = new Date(app.now()).toISOString()
  const data = body.user_metadata
  const user = app.store.createUser({
    email,
    phone,
    password: str(body, 'password') || null,
    emailConfirmedAt: body.email_confirm === true ? at : null,
    phoneConfirmedAt: body.phone_confirm === true ? at : null,
    userMetadata: typeof data === 'object' && data !== null ? { ...(data as Record<string, unknown>) } : {},
  })
  addAdminIdentities(app.store, user)
  sendJson(ctx, 200, userJson(user))
}

export async function updateUser(app: App, ctx: Ctx): Promise<void> {
  await requireAdmin(app, ctx.req)
  const user = app.store.users.get(ctx.params.id ?? '')
  if (user === undefined) throw forbidden('user_not_found', 'User not found')
  const body = await ctx.json()
  const ban = str(body, 'ban_duration')
  if (ban !== '') user.banned = ban !== 'none'
  if (typeof body.password === 'string') user.password = body.password
  app.store.touch(user)
  sendJson(ctx, 200, userJson(user))
}
