/**
 * OAuth2 through one of the server's providers, in the system browser. PocketBase builds the
 * provider's authorization URL and generates the PKCE verifier itself (auth-methods hands both
 * out); Latchkey sets the URL's `redirect_uri` and `state` for the way the answer comes back (see
 * oauth2-return.ts), checks the answer belongs to this attempt, and sends the code and the
 * server's verifier to `auth-with-oauth2`, where the server exchanges them at the provider.
 */
import type { RecordAuthResponse } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import { signInCancelled } from '../../core/oauth/loopback.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import type { OAuth2ProviderInfo } from './auth-methods.ts'
import { pocketBaseClient } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt } from './errors.ts'
import type { PocketBaseFailure } from './errors.ts'
import { openOAuth2Return } from './oauth2-return.ts'
import type { OAuth2Return } from './oauth2-return.ts'
import { describeSeconds } from './sign-in-forms.ts'

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
  const back = await openOAuth2Return(settings, provider.displayName, options.timeoutMs, ctx.clock)
  const { redirectURL } = back
  authUrl.searchParams.set('redirect_uri', redirectURL)
  authUrl.searchParams.set('state', back.state)

  const exchange = new AbortController()
  let stop: (error: AppError) => void = () => undefined
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = (error) => {
      back.close()
      exchange.abort()
      reject(error)
    }
  })
  stopped.catch(() => undefined)
  const timer = ctx.clock.setTimeout(() => {
    stop(new AppError('AUTH_TIMEOUT', `The browser sign-in was not completed within ${describeSeconds(Math.round(options.timeoutMs / 1000))}.`))
  }, options.timeoutMs)
  const result = Promise.race([back.answer, stopped]).then(async (data) => {
    ctx.clock.clearTimeout(timer)
    back.close()
    const code = codeFrom(data, back, provider)
    const client = pocketBaseClient(settings, null, { signal: exchange.signal })
    const body: Record<string, string> = { provider: provider.name, code, codeVerifier: provider.codeVerifier, redirectURL }
    if (options.mfaId !== null) body.mfaId = options.mfaId
    const answer = await attempt(() => client.records.authWithOAuth2Code(provider.name, code, provider.codeVerifier, redirectURL, undefined, { body }))
    // A cancel during the exchange aborts the request; whatever came back no longer counts.
    if (exchange.signal.aborted) throw signInCancelled()
    return options.conclude(answer)
  })
  result.catch(() => {
    ctx.clock.clearTimeout(timer)
    back.close()
  })
  return { kind: 'browser', url: authUrl.href, expiresAt: ctx.clock.now() + options.timeoutMs, result, cancel: () => stop(signInCancelled()) }
}

/** The authorization code that came back, after checking it belongs to this attempt. */
function codeFrom(data: unknown, back: OAuth2Return, provider: OAuth2ProviderInfo): string {
  const message = typeof data === 'object' && data !== null ? (data as { state?: unknown; code?: unknown; error?: unknown }) : {}
  if (message.state !== back.state) {
    throw new AppError(
      'AUTH_STATE_MISMATCH',
      'A sign-in answer that does not belong to this attempt came back, so it was ignored. Start the sign-in again.',
    )
  }
  const error = typeof message.error === 'string' ? message.error : ''
  if (error !== '') {
    const detail = error === 'access_denied' ? '' : ` (${error.slice(0, 80)})`
    throw new AppError('AUTH_DENIED', `The sign-in with ${provider.displayName} was declined${detail}.`)
  }
  const code = typeof message.code === 'string' ? message.code : ''
  if (code === '') {
    throw new AppError('AUTH_FAILED', `${provider.displayName} sent the browser back to ${back.where} without a sign-in code.`)
  }
  return code
}
