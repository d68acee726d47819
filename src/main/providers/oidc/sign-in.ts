/**
 * Sign-in in the system browser (RFC 8252): a loopback receiver per attempt, PKCE S256, state and
 * nonce, the prompt the purpose needs, the RFC 9207 `iss` check, the code exchange with ID token
 * validation, then userinfo. oauth4webapi does the protocol checks; this file only wires them and
 * names the failures.
 */
import * as oauth from 'oauth4webapi'
import { openLoopback, signInCancelled } from '../../core/oauth/loopback.ts'
import type { BrowserSignIn, ProviderContext, SignInOptions, SignInPurpose } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { clientFor } from './client.ts'
import type { OidcClient } from './client.ts'
import type { OidcSettings } from './config.ts'
import type { DiscoveryCache } from './discovery.ts'
import { authorizationResponseError, codeExchangeError } from './errors.ts'
import { requestOptions } from './http.ts'
import { invalidScopeAdvice, offlineAccess, offlineRefusedAdvice, type OfflineAccess } from './offline-access.ts'
import { promptFor } from './prompt.ts'
import { identityFrom, profileFrom, sessionFrom } from './tokens.ts'

interface Attempt {
  settings: OidcSettings
  server: oauth.AuthorizationServer
  oidcClient: OidcClient
  redirectUri: string
  verifier: string
  state: string
  nonce: string
  purpose: SignInPurpose
  /** The scopes asked for, and how a refresh token is. */
  offline: OfflineAccess
}

export async function beginBrowserSignIn(
  settings: OidcSettings,
  ctx: ProviderContext,
  deps: { discovery: DiscoveryCache; timeoutMs: number },
  options: SignInOptions = { purpose: 'first' },
): Promise<BrowserSignIn<SignedIn>> {
  const host = settings.issuer.host
  const server = await deps.discovery.get(settings.issuer, ctx.clock)
  const state = oauth.generateRandomState()
  const receiver = await openLoopback({
    state,
    port: settings.redirectPort,
    path: settings.redirectPath,
    timeoutMs: deps.timeoutMs,
    clock: ctx.clock,
  })
  const expiresAt = ctx.clock.now() + deps.timeoutMs
  const attempt: Attempt = {
    settings,
    server,
    oidcClient: clientFor(settings, server),
    redirectUri: receiver.redirectUri,
    verifier: oauth.generateRandomCodeVerifier(),
    state,
    nonce: oauth.generateRandomNonce(),
    purpose: options.purpose,
    offline: offlineAccess(settings, server),
  }
  let url: URL
  try {
    url = await authorizationUrl(attempt)
  } catch (error) {
    receiver.close()
    throw error
  }
  ctx.logger.info('oidc.signin.started', { host })
  // A cancel also stops an attempt whose browser step is done but whose code exchange is not.
  let cancelled: () => void = () => undefined
  const cancellation = new Promise<never>((_resolve, reject) => {
    cancelled = () => {
      reject(signInCancelled())
    }
  })
  const flow = receiver.callback.then((callback) => finishSignIn(attempt, callback, ctx))
  const result = Promise.race([flow, cancellation]).then(
    (signedIn) => {
      ctx.logger.info('oidc.signin.completed', { host })
      return signedIn
    },
    (error: unknown) => {
      ctx.logger.warn('oidc.signin.failed', { host, code: (error as { code?: unknown }).code ?? 'INTERNAL' })
      throw error
    },
  )
  // Whoever started the attempt may stop listening (e.g. after a cancel): no unhandled rejection.
  for (const settled of [flow, cancellation, result]) settled.catch(() => undefined)
  const cancel = (): void => {
    receiver.close()
    cancelled()
  }
  return { kind: 'browser', url: url.href, expiresAt, result, cancel }
}

async function authorizationUrl(attempt: Attempt): Promise<URL> {
  const { settings, server } = attempt
  const url = new URL(server.authorization_endpoint ?? '')
  const params = url.searchParams
  const { offline } = attempt
  params.set('client_id', settings.clientId)
  params.set('redirect_uri', attempt.redirectUri)
  params.set('response_type', 'code')
  params.set('scope', offline.scopes.join(' '))
  for (const [name, value] of Object.entries(offline.params)) params.set(name, value)
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(attempt.verifier))
  params.set('code_challenge_method', 'S256')
  params.set('state', attempt.state)
  params.set('nonce', attempt.nonce)
  const prompt = promptFor(settings, server, attempt.purpose, offline.asked)
  if (prompt !== null) params.set('prompt', prompt)
  return url
}

async function finishSignIn(attempt: Attempt, callback: URL, ctx: ProviderContext): Promise<SignedIn> {
  const { settings, server, oidcClient } = attempt
  const { client, auth } = oidcClient
  const host = settings.issuer.host
  let params: URLSearchParams
  try {
    params = oauth.validateAuthResponse(server, client, callback, attempt.state)
  } catch (error) {
    throw authorizationResponseError(error, attempt.state, host, invalidScopeAdvice(attempt.offline, server))
  }
  const options = requestOptions(settings.issuer)
  let tokens: oauth.TokenEndpointResponse
  let claims: oauth.IDToken
  try {
    const response = await oauth.authorizationCodeGrantRequest(server, client, auth, params, attempt.redirectUri, attempt.verifier, options)
    tokens = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: attempt.nonce, requireIdToken: true })
    const validated = oauth.getValidatedIdTokenClaims(tokens)
    if (validated === undefined) throw new Error('no ID token')
    claims = validated
  } catch (error) {
    throw codeExchangeError(error, host, ctx.clock.now(), offlineRefusedAdvice(attempt.offline))
  }
  const userinfo = await readUserInfo(attempt, tokens.access_token, claims.sub, ctx)
  const profile = profileFrom(claims, userinfo)
  return {
    session: sessionFrom(tokens, ctx.clock.now(), { refreshToken: null, idToken: null, scopes: attempt.offline.scopes }),
    identity: identityFrom(claims.sub, profile),
    profile,
  }
}

/** Userinfo when the server offers it; a failure there keeps the sign-in (the ID token suffices). */
async function readUserInfo(attempt: Attempt, accessToken: string, subject: string, ctx: ProviderContext): Promise<Record<string, unknown> | undefined> {
  const { server, settings } = attempt
  if (server.userinfo_endpoint === undefined) return undefined
  try {
    const options = requestOptions(settings.issuer)
    const response = await oauth.userInfoRequest(server, attempt.oidcClient.client, accessToken, options)
    return { ...(await oauth.processUserInfoResponse(server, attempt.oidcClient.client, subject, response)) }
  } catch (error) {
    ctx.logger.warn('oidc.userinfo.failed', { host: settings.issuer.host, reason: error instanceof Error ? error.name : 'unknown' })
    return undefined
  }
}
