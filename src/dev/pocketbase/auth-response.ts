/**
 * The end of every sign-in, refresh and impersonation (apis/record_helpers.go recordAuthResponse):
 * the superuser IP allow-list, the collection's auth rule, the MFA step, the login alert for a new
 * IP + User-Agent pair, then `{token, record, meta?}` with the email always shown.
 */
import { createHash } from 'node:crypto'
import { signInToken } from './app.ts'
import type { App } from './app.ts'
import { bindString } from './body.ts'
import { satisfiesAuthRule } from './auth-rule.ts'
import { badRequest, forbidden } from './errors.ts'
import { sendJson } from './http.ts'
import type { Ctx } from './http.ts'
import { mailLoginAlert } from './mails.ts'
import type { AuthMethod } from './mfa.ts'
import { exportRecord } from './store.ts'
import type { AuthRecord } from './store.ts'

const MAX_AUTH_ORIGINS = 5

/** `method` '' (refresh, impersonate) skips the MFA check and the login alert, as in PocketBase. */
export async function respondWithAuth(
  app: App,
  ctx: Ctx,
  record: AuthRecord,
  method: AuthMethod | '',
  options: { token?: string; meta?: Record<string, unknown> } = {},
): Promise<void> {
  checkSuperuserIP(app, ctx, record)
  if (!satisfiesAuthRule(record.collection.authRule, record, app.flavor.postgres)) throw forbidden("The request doesn't satisfy the collection requirements to authenticate.")
  if (method !== '') {
    const mfaId = app.mfas.check(record, method, await mfaIdOf(ctx), app.now())
    if (mfaId !== '') {
      sendJson(ctx, 401, { mfaId })
      return
    }
    loginAlert(app, ctx, record)
  }
  const token = options.token ?? signInToken(app, record)
  app.issuedTokens.push(token)
  const result: Record<string, unknown> = options.meta === undefined ? {} : { meta: options.meta }
  sendJson(ctx, 200, { ...result, record: exportRecord(record, true), token })
}

/** superuserIPsWhitelist: a superuser from an address not on a non-empty list gets the generic 403. */
export function checkSuperuserIP(app: App, ctx: Ctx, record: AuthRecord | undefined): void {
  if (!app.flavor.superuserIPs || record?.collection.name !== '_superusers' || app.superuserIPs.length === 0) return
  if (!app.superuserIPs.includes(ctx.ip)) throw forbidden()
}

async function mfaIdOf(ctx: Ctx): Promise<string> {
  const fromQuery = ctx.url.searchParams.get('mfaId') ?? ''
  if (fromQuery !== '') return fromQuery
  try {
    return bindString(await ctx.body(), 'mfaId')
  } catch {
    throw badRequest('Failed to read MFA Id.')
  }
}

/**
 * authAlert: mail on a login from an unknown IP + User-Agent (cut to 200 characters and "..."),
 * except on the record's very first login; the mail says when, from where and with what.
 */
function loginAlert(app: App, ctx: Ctx, record: AuthRecord): void {
  const userAgent = ctx.userAgent.length > 200 ? `${ctx.userAgent.slice(0, 200)}...` : ctx.userAgent
  const fingerprint = createHash('md5')
    .update(ctx.ip + userAgent)
    .digest('hex')
  const origins = record.authOrigins
  const known = origins.includes(fingerprint)
  if (origins.length > 0 && !known && record.email !== '') mailLoginAlert(app, record, `${dateTime(app.now())} - ${ctx.ip} ${userAgent}`)
  record.authOrigins = [fingerprint, ...origins.filter((origin) => origin !== fingerprint)].slice(0, MAX_AUTH_ORIGINS)
}

/** types.DateTime's text: "2026-01-02 15:04:05.000Z". */
function dateTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ')
}
