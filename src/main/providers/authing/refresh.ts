/**
 * Renewing a v2 token: first `checkLoginStatus(token)` (the public probe: expired, or logged out
 * elsewhere), then the `refreshToken` mutation with the current token as Bearer, which issues a
 * new 14-day token. An expired token cannot be renewed, so the scheduler renews well before the
 * end; a token the server calls invalid makes the account need attention.
 */
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { AuthingClient } from './client.ts'
import type { AuthingFailure } from './client.ts'
import type { AuthingSettings } from './config.ts'
import { CHECK_LOGIN_STATUS, REFRESH_TOKEN } from './documents.ts'
import { failureRetryAt, isDeadToken } from './errors.ts'
import { sessionFromToken } from './user.ts'

/**
 * `checkLoginStatus(token)`, as the SDKs' AuthenticationClient.checkLoginStatus does: resolves while
 * the server still accepts the token; RefreshRejectedError when it says it is expired or logged out.
 */
export async function checkV2Session(settings: AuthingSettings, session: Session, ctx: ProviderContext): Promise<void> {
  await checkLoginStatus(new AuthingClient(settings, session.accessToken), settings.host, session, ctx)
}

export async function refreshV2Session(settings: AuthingSettings, session: Session, ctx: ProviderContext): Promise<RefreshResult> {
  const { host } = settings
  const client = new AuthingClient(settings, session.accessToken)
  await checkLoginStatus(client, host, session, ctx)
  const renewed = await client.graphql<{ token?: string | null; exp?: number | null } | null>(REFRESH_TOKEN, {}, 'refreshToken')
  if (!renewed.ok) throw failed(renewed.failure, host, ctx)
  const token = renewed.value?.token
  if (typeof token !== 'string' || token === '') throw new TransientError(`${host} answered the renewal without a token.`)
  const exp = renewed.value?.exp
  return { session: sessionFromToken(token, ctx.clock.now(), typeof exp === 'number' ? exp * 1000 : null) }
}

async function checkLoginStatus(client: AuthingClient, host: string, session: Session, ctx: ProviderContext): Promise<void> {
  const status = await client.graphql<{ status?: boolean | null; code?: number | null } | null>(CHECK_LOGIN_STATUS, { token: session.accessToken }, 'checkLoginStatus', null)
  if (!status.ok) throw failed(status.failure, host, ctx)
  if (status.value?.status !== true) {
    const code = status.value?.code ?? 0
    ctx.logger.warn('authing.refresh.rejected', { host, code })
    throw new RefreshRejectedError(
      code === 2206
        ? `The sign-in on ${host} expired before it could be renewed. Sign in again.`
        : `${host} says this sign-in is no longer valid (signed out elsewhere, or by an administrator). Sign in again.`,
    )
  }
}

function failed(failure: AuthingFailure, host: string, ctx: ProviderContext): Error {
  if (failure.kind === 'unreachable') return new TransientError(`Could not reach ${host} to renew the session.`)
  ctx.logger.warn('authing.refresh.failed', { host, code: failure.kind === 'business' ? failure.code : failure.status })
  if (isDeadToken(failure)) return new RefreshRejectedError(`${host} says this sign-in is no longer valid. Sign in again.`)
  const retryAt = failureRetryAt(failure, ctx.clock.now())
  if (retryAt !== null) return new TransientError(`${host} asks Latchkey to slow down before renewing the session.`, { retryAt })
  if (failure.kind === 'http' && (failure.status >= 500 || failure.status === 429)) {
    return new TransientError(`${host} could not renew the session right now (HTTP ${String(failure.status)}).`)
  }
  const reason = failure.kind === 'business' ? `code ${String(failure.code)}` : `HTTP ${String(failure.status)}`
  return new RefreshRejectedError(`${host} refused to renew the session (${reason}). Sign in again.`)
}
