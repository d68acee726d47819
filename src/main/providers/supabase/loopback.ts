/**
 * The loopback receiver for a Supabase browser step. GoTrue does not round-trip the client's
 * `state`, so each attempt listens on a path with a random nonce (`/supabase/<nonce>?state=<nonce>`
 * in redirect_to): only a redirect to that exact path and state completes the attempt, and PKCE binds the code to this attempt's
 * verifier. Any loopback IP with any port is accepted by the server without an allow-list entry.
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import { openLoopback } from '../../core/oauth/loopback.ts'
import type { ProviderContext } from '../../core/provider.ts'

export interface NonceLoopback {
  redirectUri: string
  expiresAt: number
  /** The `code` the server appended, after checking the redirect carries no error. */
  code(): Promise<string>
  close(): void
}

export async function openNonceLoopback(timeoutMs: number, ctx: ProviderContext): Promise<NonceLoopback> {
  const nonce = randomBytes(18).toString('base64url')
  // The nonce is both the path and the `state` query parameter the receiver checks: GoTrue keeps
  // redirect_to's query and appends `code` to it.
  const receiver = await openLoopback({ state: nonce, path: `/supabase/${nonce}`, timeoutMs, clock: ctx.clock })
  const code = receiver.callback.then((url) => {
    const params = url.searchParams
    const fragment = new URLSearchParams(url.hash.slice(1))
    const error = params.get('error_description') ?? params.get('error') ?? fragment.get('error_description') ?? fragment.get('error')
    if (error !== null) {
      const denied = (params.get('error') ?? fragment.get('error')) === 'access_denied'
      throw new AppError(denied ? 'AUTH_DENIED' : 'AUTH_FAILED', `The sign-in did not finish: ${error.slice(0, 160)}.`)
    }
    const value = params.get('code')
    if (value === null || value === '') throw new AppError('AUTH_FAILED', 'The browser came back without a sign-in code.')
    return value
  })
  code.catch(() => undefined)
  return { redirectUri: `${receiver.redirectUri}?state=${nonce}`, expiresAt: ctx.clock.now() + timeoutMs, code: () => code, close: () => receiver.close() }
}
