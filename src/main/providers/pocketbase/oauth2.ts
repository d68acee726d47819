/**
 * OAuth2 through one of the server's providers, in the system browser, the way PocketBase's own
 * clients do it (the SDK's authWithOAuth2, the "realtime" flow): Latchkey opens the server's event
 * stream, subscribes to `@oauth2`, and sends the browser to the provider's authorization URL with
 * the server's own redirect, `{server}/api/oauth2-redirect` (the one PocketBase tells administrators
 * to register at every provider), and the stream's client id as `state`. The server forwards the
 * browser's answer over the stream; Latchkey sends the code and the PKCE verifier the server
 * generated (auth-methods hands both out) to `auth-with-oauth2`, which exchanges them at the provider.
 *
 * PocketBase (not BosBase) delivers the answer only when the browser reaches the server from the
 * same IP address as the stream; otherwise the browser lands on a failure page and the wait runs
 * out. A provider that accepts only a redirect to this computer would need the loopback flow; the
 * servers' administrators register the server's redirect instead.
 */
import type { RecordAuthResponse } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import { signInCancelled } from '../../core/oauth/loopback.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import type { OAuth2ProviderInfo } from './auth-methods.ts'
import { pocketBaseClient, USER_AGENT } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, describeHttp, unreachable } from './errors.ts'
import type { PocketBaseFailure } from './errors.ts'
import { openRealtime } from './realtime.ts'
import { describeSeconds } from './sign-in-forms.ts'
import type { RealtimeStream } from './realtime.ts'

const OAUTH2_TOPIC = '@oauth2'

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
  const stream = await openRealtime(settings.url, USER_AGENT).catch(() => {
    throw unreachable(settings.host)
  })
  await subscribe(stream, settings)
  const redirectURL = `${settings.url}/api/oauth2-redirect`
  authUrl.searchParams.set('redirect_uri', redirectURL)
  authUrl.searchParams.set('state', stream.clientId)

  const exchange = new AbortController()
  let stop: (error: AppError) => void = () => undefined
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = (error) => {
      stream.close()
      exchange.abort()
      reject(error)
    }
  })
  stopped.catch(() => undefined)
  const timer = ctx.clock.setTimeout(() => {
    stop(new AppError('AUTH_TIMEOUT', `The browser sign-in was not completed within ${describeSeconds(Math.round(options.timeoutMs / 1000))}.`))
  }, options.timeoutMs)
  const answered = stream.next(OAUTH2_TOPIC).then(
    (data) => data,
    () => {
      throw new AppError('AUTH_FAILED', `${settings.host} stopped waiting for the sign-in with ${provider.displayName}. Start it again.`)
    },
  )
  const result = Promise.race([answered, stopped]).then(async (data) => {
    ctx.clock.clearTimeout(timer)
    stream.close()
    const code = codeFrom(data, stream.clientId, provider, settings.host)
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
    stream.close()
  })
  return { kind: 'browser', url: authUrl.href, expiresAt: ctx.clock.now() + options.timeoutMs, result, cancel: () => stop(signInCancelled()) }
}

/** Asks the server to forward the OAuth2 answer to this stream. */
async function subscribe(stream: RealtimeStream, settings: PocketBaseSettings): Promise<void> {
  const client = pocketBaseClient(settings, null)
  const answer = await attempt(() => client.pb.send('/api/realtime', { method: 'POST', body: { clientId: stream.clientId, subscriptions: [OAUTH2_TOPIC] } }))
  if (answer.ok) return
  stream.close()
  if (answer.failure.kind === 'unreachable') throw unreachable(settings.host)
  throw new AppError('AUTH_FAILED', `${settings.host} did not let Latchkey wait for the sign-in (${describeHttp(answer.failure)}).`)
}

/** The authorization code the server forwarded, after checking it belongs to this attempt. */
function codeFrom(data: unknown, clientId: string, provider: OAuth2ProviderInfo, host: string): string {
  const message = typeof data === 'object' && data !== null ? (data as { state?: unknown; code?: unknown; error?: unknown }) : {}
  if (message.state !== clientId) {
    throw new AppError(
      'AUTH_STATE_MISMATCH',
      'The server forwarded a sign-in answer that does not belong to this attempt, so it was ignored. Start the sign-in again.',
    )
  }
  const error = typeof message.error === 'string' ? message.error : ''
  if (error !== '') {
    const detail = error === 'access_denied' ? '' : ` (${error.slice(0, 80)})`
    throw new AppError('AUTH_DENIED', `The sign-in with ${provider.displayName} was declined${detail}.`)
  }
  const code = typeof message.code === 'string' ? message.code : ''
  if (code === '') {
    throw new AppError('AUTH_FAILED', `${provider.displayName} sent the browser back to ${host} without a sign-in code.`)
  }
  return code
}
