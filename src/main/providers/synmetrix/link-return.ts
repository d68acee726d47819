/**
 * A sign-in link that comes back through the loopback. HBP answers an opened magic link with a
 * redirect to its fixed REDIRECT_URL_SUCCESS plus `?refresh_token=`; when that points at
 * http://127.0.0.1:<port>/synmetrix, Latchkey listens there while a link is pending. HBP cannot
 * carry a per-attempt `state` through the email, so the receiver takes only a callback with a
 * refresh token in the right shape, addressed to 127.0.0.1:<port> (as for every backend), and the
 * caller binds it to the attempt by the account it signs in (the email the link was asked for).
 */
import { randomBytes } from 'node:crypto'
import { openLoopback } from '../../core/oauth/loopback.ts'
import type { ProviderContext } from '../../core/provider.ts'
import { LINK_RETURN_PATH } from './config.ts'
import { isRefreshToken } from './session.ts'

/** How long Latchkey listens for an emailed link to come back (the email may take a while). */
export const LINK_RETURN_TIMEOUT_MS = 15 * 60_000

export interface LinkReturn {
  /** The refresh token the browser brought back, or null while it has not come back. */
  arrived(): string | null
  /** Settles when the browser comes back (or the wait ends: AUTH_TIMEOUT / AUTH_CANCELLED). */
  token: Promise<string>
  close(): void
}

export async function openLinkReturn(port: number, ctx: ProviderContext): Promise<LinkReturn> {
  const receiver = await openLoopback({
    state: randomBytes(18).toString('base64url'),
    port,
    path: LINK_RETURN_PATH,
    timeoutMs: LINK_RETURN_TIMEOUT_MS,
    clock: ctx.clock,
    belongs: (callback) => isRefreshToken(callback.searchParams.get('refresh_token') ?? ''),
  })
  let arrived: string | null = null
  const token = receiver.callback.then((callback) => {
    arrived = callback.searchParams.get('refresh_token') ?? ''
    return arrived
  })
  token.catch(() => undefined)
  return { arrived: () => arrived, token, close: () => receiver.close() }
}
