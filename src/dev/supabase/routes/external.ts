/**
 * OAuth through an external provider, as internal/api/external.go does it: GET /authorize (and GET
 * /user/identities/authorize for manual linking) keeps a flow state whose id is the `state` sent to
 * the provider and redirects there; GET /callback exchanges the provider's code (client secret,
 * HTTP Basic), reads its userinfo, finds, links or creates the user, and sends the browser back to
 * redirect_to: with `?code=` (PKCE, exchanged at /token?grant_type=pkce) or the session in the
 * fragment (implicit). Failures go back to redirect_to as error, error_code and error_description
 * in the query and the fragment. Only the Keycloak provider is emulated (paths under its realm URL).
 */
import { authenticate, implicitFlowFields, signIn } from '../app.ts'
import type { App } from '../app.ts'
import { ApiError, badRequest, forbidden, OAuthError, unprocessable } from '../errors.ts'
import { sendJson } from '../http.ts'
import type { Ctx } from '../http.ts'
import { redirectTarget } from '../mail.ts'
import type { FlowState, UserRow } from '../store.ts'

/** What the server's oauth2 library must not take from the client's query (reservedOAuthParams). */
const RESERVED = new Set(['client_id', 'client_secret', 'redirect_uri', 'response_type', 'state', 'code_challenge', 'code_challenge_method', 'code_verifier', 'nonce'])

interface ProviderConfig {
  url: string
  clientId: string
  secret: string
}

function providerConfig(app: App, name: string): ProviderConfig {
  if (name.toLowerCase() === 'keycloak' && app.config.keycloak !== undefined) return app.config.keycloak
  throw badRequest('validation_failed', `Unsupported provider: Provider ${name} could not be found`)
}

/** GetExternalProviderRedirectURL: the provider's authorization URL, with a new flow state as `state`. */
function providerRedirect(app: App, ctx: Ctx, linkingTarget: UserRow | null): string {
  const query = new URLSearchParams(ctx.url.searchParams)
  const providerType = (query.get('provider') ?? '').toLowerCase()
  const provider = providerConfig(app, providerType)
  const scopes = query.get('scopes') ?? ''
  const challenge = query.get('code_challenge') ?? ''
  const method = (query.get('code_challenge_method') ?? '').toLowerCase()
  if ((challenge === '') !== (method === '')) {
    throw badRequest('validation_failed', 'PKCE flow requires code_challenge_method and code_challenge')
  }
  if (challenge !== '' && (challenge.length < 43 || challenge.length > 128)) throw badRequest('validation_failed', 'code challenge has to be between 43 and 128 characters')
  if (challenge !== '' && !/^[\w.~-]+$/.test(challenge)) throw badRequest('validation_failed', 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes')
  if (challenge !== '' && method !== 's256' && method !== 'plain') throw badRequest('validation_failed', 'Invalid code_challenge_method')
  const flow = app.store.newFlowState({
    challenge,
    method: method === 'plain' ? 'plain' : 's256',
    userId: null,
    authMethod: 'oauth',
    providerType,
    referrer: redirectTarget(query.get('redirect_to')) ?? app.url,
    linkingTargetId: linkingTarget?.id ?? null,
  })
  query.delete('scopes')
  query.delete('provider')
  for (const key of [...query.keys()]) if (RESERVED.has(key.toLowerCase())) query.delete(key)
  const target = new URL(`${provider.url}/protocol/openid-connect/auth`)
  target.searchParams.set('client_id', provider.clientId)
  target.searchParams.set('redirect_uri', `${app.url}/callback`)
  target.searchParams.set('response_type', 'code')
  target.searchParams.set('scope', ['profile', 'email', ...(scopes === '' ? [] : scopes.split(','))].join(' '))
  target.searchParams.set('state', flow.id)
  for (const [key, value] of query) target.searchParams.set(key, value)
  return target.href
}

export function authorize(app: App, ctx: Ctx): void {
  redirect(ctx, 302, providerRedirect(app, ctx, null))
}

/** LinkIdentity: the signed-in user starts a manual link; auth-js asks for the URL as JSON. */
export async function linkIdentity(app: App, ctx: Ctx): Promise<void> {
  if (!app.config.manualLinking) throw new ApiError(404, 'manual_linking_disabled', 'Manual linking is disabled')
  const { user } = await authenticate(app, ctx.req)
  const url = providerRedirect(app, ctx, user)
  if (ctx.url.searchParams.get('skip_http_redirect') === 'true') sendJson(ctx, 200, { url })
  else redirect(ctx, 302, url)
}

export async function callback(app: App, ctx: Ctx): Promise<void> {
  let flow: FlowState
  try {
    flow = loadFlowState(app, ctx.url.searchParams.get('state') ?? '')
  } catch (error) {
    // loadFlowState: without a usable state there is no redirect_to, so the site URL (303).
    redirect(ctx, 303, withError(new URL(app.url), error, false).href)
    return
  }
  try {
    const user = await finish(app, ctx, flow)
    const target = new URL(flow.referrer)
    if (flow.challenge !== '') {
      target.searchParams.set('code', flow.authCode)
    } else {
      app.store.flowStates.delete(flow.id)
      const session = await signIn(app, user, 'oauth')
      target.hash = new URLSearchParams({ ...implicitFlowFields(session), provider_token: flow.providerAccessToken, ...(flow.providerRefreshToken === '' ? {} : { provider_refresh_token: flow.providerRefreshToken }) }).toString()
    }
    redirect(ctx, 302, target.href)
  } catch (error) {
    redirect(ctx, 302, withError(new URL(flow.referrer), error, true).href)
  }
}

function loadFlowState(app: App, state: string): FlowState {
  if (state === '') throw badRequest('bad_oauth_callback', 'OAuth state parameter missing')
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(state)) throw badRequest('bad_oauth_state', 'OAuth state parameter is invalid')
  const flow = app.store.flowStates.get(state)
  if (flow === undefined || flow.authMethod !== 'oauth') throw badRequest('bad_oauth_state', 'OAuth state not found or expired')
  if (app.now() > flow.createdAt + app.config.flowStateSeconds * 1000) throw badRequest('bad_oauth_state', 'OAuth state has expired')
  if (flow.challenge !== '' && flow.userId !== null) throw badRequest('flow_state_already_used', 'State has already been used')
  return flow
}

/** The provider's answer, then the user it signs in (or the user the identity was linked to). */
async function finish(app: App, ctx: Ctx, flow: FlowState): Promise<UserRow> {
  const params = ctx.url.searchParams
  const providerError = params.get('error')
  if (providerError !== null && providerError !== '') throw new OAuthError(providerError, params.get('error_description') ?? '')
  const code = params.get('code') ?? ''
  if (code === '') throw badRequest('bad_oauth_callback', 'OAuth callback with missing authorization code missing')
  const provider = providerConfig(app, flow.providerType)
  const tokens = await exchange(provider, code, `${app.url}/callback`)
  const claims = await userinfo(provider, tokens.accessToken)
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : ''
  const verified = claims.email_verified === true
  if (email === '') throw new ApiError(500, 'unexpected_failure', 'Error getting user email from external provider')
  const data = keycloakClaims(provider.url, claims, sub, email, verified)
  const user = flow.linkingTargetId !== null ? linkToUser(app, flow, sub, data) : signInOrSignUp(app, flow.providerType, sub, email, verified, data)
  if (user.banned) throw forbidden('user_banned', 'User is banned')
  flow.providerAccessToken = tokens.accessToken
  flow.providerRefreshToken = tokens.refreshToken
  if (flow.challenge !== '') flow.userId = user.id
  return user
}

/**
 * The identity's data from the Keycloak provider (provider/keycloak.go GetUserData, through
 * structs.Map of provider.Claims): name, sub, email and email_verified as they are, every other
 * userinfo claim under custom_claims, phone_verified always false, empty texts left out.
 */
function keycloakClaims(issuer: string, claims: Record<string, unknown>, sub: string, email: string, verified: boolean): Record<string, unknown> {
  const name = typeof claims.name === 'string' ? claims.name : ''
  const custom = Object.fromEntries(Object.entries(claims).filter(([key]) => !['name', 'sub', 'email', 'email_verified'].includes(key)))
  return {
    iss: issuer,
    ...(sub === '' ? {} : { sub, provider_id: sub }),
    ...(name === '' ? {} : { name, full_name: name }),
    ...(email === '' ? {} : { email }),
    email_verified: verified,
    phone_verified: false,
    ...(Object.keys(custom).length === 0 ? {} : { custom_claims: custom }),
  }
}

function linkToUser(app: App, flow: FlowState, sub: string, data: Record<string, unknown>): UserRow {
  const target = app.store.users.get(flow.linkingTargetId ?? '')
  if (target === undefined) throw unprocessable('user_not_found', 'Linking target user not found')
  const owner = app.store.byIdentity(flow.providerType, sub)
  if (owner !== undefined) throw unprocessable('identity_already_exists', owner.id === target.id ? 'Identity is already linked' : 'Identity is already linked to another user')
  addIdentity(app, target, flow.providerType, sub, data)
  if (target.email === '' && typeof data.email === 'string') {
    target.email = data.email
    target.emailConfirmedAt = data.email_verified === true ? new Date(app.now()).toISOString() : null
    target.isAnonymous = false
  }
  return target
}

/** DetermineAccountLinking: the identity's user; else the user with that verified address; else a new user. */
function signInOrSignUp(app: App, providerType: string, sub: string, email: string, verified: boolean, data: Record<string, unknown>): UserRow {
  const known = app.store.byIdentity(providerType, sub)
  if (known !== undefined) {
    const identity = known.identities.find((candidate) => candidate.provider === providerType && candidate.providerId === sub)
    if (identity !== undefined) identity.data = data
    return known
  }
  const byEmail = verified ? app.store.byEmail(email) : undefined
  if (byEmail !== undefined) {
    addIdentity(app, byEmail, providerType, sub, data)
    return byEmail
  }
  if (app.config.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance')
  const user = app.store.createUser({ email, userMetadata: { ...data } })
  addIdentity(app, user, providerType, sub, data)
  if (verified || app.config.autoconfirm) {
    user.emailConfirmedAt = new Date(app.now()).toISOString()
    return user
  }
  throw unprocessable('provider_email_needs_verification', `Unverified email with ${providerType}. Verify the email with ${providerType} in order to sign in`)
}

function addIdentity(app: App, user: UserRow, provider: string, sub: string, data: Record<string, unknown>): void {
  app.store.addIdentity(user, provider, sub, data)
}

async function exchange(provider: ProviderConfig, code: string, redirectUri: string): Promise<{ accessToken: string; refreshToken: string }> {
  const basic = Buffer.from(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(provider.secret)}`).toString('base64')
  const response = await fetch(`${provider.url}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  }).catch(() => null)
  const body = response?.ok === true ? ((await response.json()) as Record<string, unknown>) : null
  if (body === null || typeof body.access_token !== 'string') throw new ApiError(500, 'unexpected_failure', `Unable to exchange external code: ${code}`)
  return { accessToken: body.access_token, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : '' }
}

async function userinfo(provider: ProviderConfig, accessToken: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${provider.url}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } }).catch(() => null)
  if (response?.ok !== true) throw new ApiError(500, 'unexpected_failure', 'Error getting user profile from external provider')
  return (await response.json()) as Record<string, unknown>
}

/** redirectErrors / getErrorQueryString: the error in the query and (with `sb`) in the fragment. */
function withError(target: URL, error: unknown, fragment: boolean): URL {
  let fields: Record<string, string>
  if (error instanceof ApiError) {
    const denied = ['signup_disabled', 'user_banned', 'provider_email_needs_verification'].includes(error.errorCode)
    const oauth = denied ? 'access_denied' : (OAUTH_ERRORS[error.status] ?? 'server_error')
    fields = { error: oauth, error_description: error.message, error_code: error.errorCode }
  } else if (error instanceof OAuthError) {
    fields = { error: error.error, error_description: error.description }
  } else {
    fields = { error: 'server_error', error_description: error instanceof Error ? error.message : 'Unexpected failure' }
  }
  for (const [key, value] of Object.entries(fields)) target.searchParams.set(key, value)
  if (fragment) target.hash = new URLSearchParams({ ...fields, sb: '' }).toString()
  return target
}

/** oauthErrorMap. */
const OAUTH_ERRORS: Readonly<Record<number, string>> = { 400: 'invalid_request', 401: 'unauthorized_client', 403: 'access_denied', 500: 'server_error', 503: 'temporarily_unavailable' }

function redirect(ctx: Ctx, status: 302 | 303, location: string): void {
  ctx.res.writeHead(status, { location })
  ctx.res.end()
}
