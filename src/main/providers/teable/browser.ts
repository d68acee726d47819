/**
 * Browser sign-in through Teable's mobile PKCE flow (RFC 8252): Teable's
 * `/auth/mobile?code_challenge=…&state=…&redirect_uri=…` page in the system browser (S256 only: the
 * page takes no method parameter), Latchkey's one-time loopback receiver as the redirect, which
 * gets `code` and `state` back, then `POST /api/auth/mobile/exchange {code, codeVerifier}` for a
 * cookie session. The server accepts the redirect only if its MOBILE_AUTH_REDIRECT_SCHEMES includes
 * `http`; otherwise its page says `redirect_uri scheme "http" is not allowed` and never calls back.
 */
import { createHash, randomBytes } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import { openLoopback, signInCancelled } from '../../core/oauth/loopback.ts'
import type { BrowserSignIn, ProviderContext } from '../../core/provider.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { failure } from './errors.ts'
import { signedInFrom } from './session-start.ts'

export async function beginBrowserSignIn(settings: TeableSettings, ctx: ProviderContext, timeoutMs: number): Promise<BrowserSignIn> {
  const verifier = randomBytes(32).toString('base64url')
  const state = randomBytes(24).toString('base64url')
  const receiver = await openLoopback({ state, timeoutMs, clock: ctx.clock })
  const url = new URL('/auth/mobile', settings.url)
  url.searchParams.set('redirect_uri', receiver.redirectUri)
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'))
  url.searchParams.set('state', state)
  const exchange = new AbortController()
  const result = receiver.callback.then(
    async (callback) => {
      if (callback.searchParams.get('state') !== state) {
        throw new AppError('AUTH_STATE_MISMATCH', 'The browser returned a sign-in answer that does not belong to this attempt, so it was ignored. Start the sign-in again.')
      }
      const code = callback.searchParams.get('code') ?? ''
      if (code === '') throw new AppError('AUTH_DENIED', `${settings.host} sent the browser back without a sign-in code.`)
      const answer = await teableCall(settings, { method: 'POST', path: '/auth/mobile/exchange', json: { code, codeVerifier: verifier }, signal: exchange.signal })
      if (exchange.signal.aborted) throw signInCancelled()
      if (answer.ok && answer.answer.status === 200) return signedInFrom(settings, answer.answer, ctx)
      throw failure(settings, answer, ctx.clock, 'finishing the browser sign-in')
    },
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'AUTH_TIMEOUT') {
        throw new AppError(
          'AUTH_TIMEOUT',
          `${error.message} If ${settings.host} said the redirect is not allowed, this server does not allow browser sign-in for desktop apps ` +
            '(its MOBILE_AUTH_REDIRECT_SCHEMES does not include http): sign in with your password instead.',
        )
      }
      throw error
    },
  )
  result.catch(() => undefined)
  return {
    kind: 'browser',
    url: url.href,
    expiresAt: ctx.clock.now() + timeoutMs,
    result,
    cancel: () => {
      receiver.close()
      exchange.abort()
    },
  }
}
