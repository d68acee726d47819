/**
 * OAuth2 through one of the server's providers, in the system browser with a loopback receiver
 * (RFC 8252). PocketBase builds the provider's authorization URL and generates the PKCE verifier
 * itself (auth-methods hands both out); Latchkey replaces the URL's `state` with its own random
 * one, adds its loopback `redirect_uri`, and sends the code and the server's verifier back to
 * `auth-with-oauth2`, where the server exchanges them with the provider.
 *
 * The realtime flow of the SDK (`authWithOAuth2`) is not used: it needs an EventSource in Node,
 * a redirect URI on the PocketBase server registered at every provider, and PocketBase checks that
 * the browser and the app share one public IP address.
 */
import { randomBytes } from 'node:crypto'
import type { RecordAuthResponse } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import { openLoopback, signInCancelled } from '../../core/oauth/loopback.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import type { OAuth2ProviderInfo } from './auth-methods.ts'
import { pocketBaseClient } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt } from './errors.ts'
import type { PocketBaseFailure } from './errors.ts'

export type AuthAnswer = { ok: true; value: RecordAuthResponse } | { ok: false; failure: PocketBaseFailure }

export interface OAuth2Options {
  settings: PocketBaseSettings
  provider: OAuth2ProviderInfo
  ctx: ProviderContext
  timeoutMs: number
  /** Set when OAuth2 is the second step of an MFA sign-in. */
  mfaId: string | null
  /** Turns the server's answer into the sign-in's outcome (or throws the AppError to show). */
  conclude: (answer: AuthAnswer) => SignedIn | FormSignIn
}

export async function beginOAuth2SignIn(options: OAuth2Options): Promise<BrowserSignIn> {
  const { settings, provider, ctx } = options
  const authUrl = URL.parse(provider.authURL)
  if (authUrl === null) {
    throw new AppError('AUTH_FAILED', `${settings.host} gave an unusable sign-in address for ${provider.displayName}.`)
  }
  const state = randomBytes(24).toString('base64url')
  const receiver = await openLoopback({ state, timeoutMs: options.timeoutMs, clock: ctx.clock })
  authUrl.searchParams.set('state', state)
  authUrl.searchParams.set('redirect_uri', receiver.redirectUri)

  const exchange = new AbortController()
  const cancel = (): void => {
    receiver.close()
    exchange.abort()
  }
  const result = receiver.callback.then(async (callback) => {
    const code = codeFrom(callback, state, provider, settings.host)
    const client = pocketBaseClient(settings, null, { signal: exchange.signal })
    const body: Record<string, string> = { provider: provider.name, code, codeVerifier: provider.codeVerifier, redirectURL: receiver.redirectUri }
    if (options.mfaId !== null) body.mfaId = options.mfaId
    const answer = await attempt(() =>
      client.records.authWithOAuth2Code(provider.name, code, provider.codeVerifier, receiver.redirectUri, undefined, { body }),
    )
    // A cancel during the exchange aborts the request; whatever came back no longer counts.
    if (exchange.signal.aborted) throw signInCancelled()
    return options.conclude(answer)
  })
  // Whoever started the attempt may stop listening (e.g. after a cancel): no unhandled rejection.
  result.catch(() => undefined)
  return { kind: 'browser', url: authUrl.href, expiresAt: ctx.clock.now() + options.timeoutMs, result, cancel }
}

/** The authorization code from the browser's redirect, after checking it belongs to this attempt. */
function codeFrom(callback: URL, state: string, provider: OAuth2ProviderInfo, host: string): string {
  const params = callback.searchParams
  if (params.get('state') !== state) {
    throw new AppError(
      'AUTH_STATE_MISMATCH',
      'The browser returned a sign-in answer that does not belong to this attempt, so it was ignored. Start the sign-in again.',
    )
  }
  const error = params.get('error')
  if (error !== null) {
    const detail = error === 'access_denied' ? '' : ` (${error.slice(0, 80)})`
    throw new AppError('AUTH_DENIED', `The sign-in with ${provider.displayName} was declined${detail}.`)
  }
  const code = params.get('code')
  if (code === null || code === '') {
    throw new AppError('AUTH_FAILED', `${provider.displayName} sent the browser back to Latchkey without a sign-in code for ${host}.`)
  }
  return code
}
