/**
 * The OAuth2 realtime flow (apis/realtime.go, record_auth_with_oauth2_redirect.go):
 *   GET  /api/realtime          the event stream
 *   POST /api/realtime          {clientId, subscriptions}
 *   GET|POST /api/oauth2-redirect  the provider's redirect: forwards {state, code, error} to the client whose id is `state`
 * PocketBase (not BosBase) also requires the browser's IP to be the event stream's.
 */
import type { App } from '../app.ts'
import { bindString } from '../body.ts'
import { forbidden, notFound } from '../errors.ts'
import type { Ctx } from '../http.ts'
import { sendNoContent } from '../http.ts'
import { assertValid, length, required } from '../validation.ts'

const OAUTH2_TOPIC = '@oauth2'
const FAILURE_PATH = '/_/#/auth/oauth2-redirect-failure'
const SUCCESS_PATH = '/_/#/auth/oauth2-redirect-success'

export function connectRealtime(app: App, ctx: Ctx): void {
  app.realtime.connect(ctx)
}

export async function setSubscriptions(app: App, ctx: Ctx): Promise<void> {
  const body = await ctx.body()
  const clientId = bindString(body, 'clientId')
  assertValid([['clientId', clientId, [required, length(1, 255)]]])
  const subscriptions = body.values.subscriptions
  const client = app.realtime.find(clientId)
  if (client === undefined) throw notFound('Missing or invalid client id.')
  if (client.auth !== undefined && client.auth !== ctx.auth) throw forbidden("The current and the previous request authorization don't match.")
  client.auth = ctx.auth
  client.subscriptions = new Set(Array.isArray(subscriptions) ? subscriptions.filter((topic): topic is string => typeof topic === 'string') : [])
  sendNoContent(ctx)
}

export async function oauth2Redirect(app: App, ctx: Ctx): Promise<void> {
  const status = ctx.method === 'GET' ? 307 : 303
  const redirect = (path: string): void => {
    ctx.writeHead(status, { location: path })
    ctx.res.end()
  }
  let data: { state: string; code: string; error: string }
  if (ctx.method === 'POST') {
    const body = await ctx.body().catch(() => undefined)
    if (body === undefined) {
      redirect(FAILURE_PATH)
      return
    }
    const field = (name: string): string => (typeof body.values[name] === 'string' ? body.values[name] : '')
    data = { state: field('state'), code: field('code'), error: field('error') }
  } else {
    const query = ctx.url.searchParams
    data = { state: query.get('state') ?? '', code: query.get('code') ?? '', error: query.get('error') ?? '' }
  }
  const client = data.state === '' ? undefined : app.realtime.find(data.state)
  if (client === undefined || !client.subscriptions.has(OAUTH2_TOPIC)) {
    redirect(FAILURE_PATH)
    return
  }
  // One answer per subscription: the client is unsubscribed whatever happens next.
  client.subscriptions.delete(OAUTH2_TOPIC)
  if (app.flavor.oauth2RedirectChecksIp && client.ip !== ctx.ip) {
    // Nothing is forwarded: the waiting client hears nothing at all.
    redirect(FAILURE_PATH)
    return
  }
  client.send(OAUTH2_TOPIC, data.error === '' ? { state: data.state, code: data.code } : data)
  redirect(data.error !== '' || data.code === '' ? FAILURE_PATH : SUCCESS_PATH)
}

/** The dashboard page the redirect lands on (PocketBase's admin UI shows "Auth completed" there). */
export function dashboardPage(_app: App, ctx: Ctx): void {
  ctx.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" })
  ctx.res.end('<!doctype html><meta charset="utf-8"><title>Signed in</title><p>You can close this window and go back to the app.</p>\n')
}
