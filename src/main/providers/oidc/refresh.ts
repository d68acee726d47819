/**
 * The refresh token grant. A 4xx from the token endpoint means the server refused the refresh
 * token (some servers answer 400 with an empty body, not `invalid_grant`): RefreshRejectedError.
 * Except 429 and 408: a rate limit (Auth0, Okta and gateways in front of any server send it when
 * many renewals go at once, as after a wake from sleep) or a timed-out request says nothing about
 * the token, and signing the person out for it would lose a good session. Those, network errors
 * and 5xx are worth retrying: TransientError, at the time Retry-After gives when there is one.
 */
import * as oauth from 'oauth4webapi'
import { isAppError, RefreshRejectedError, TransientError } from '../../core/errors.ts'
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import { clockTime } from '../../core/iso-time.ts'
import { minuteAtOrAfter, retryAtFrom } from '../../core/retry-at.ts'
import type { Session } from '../../core/sessions/session.ts'
import { clientFor } from './client.ts'
import type { OidcSettings } from './config.ts'
import type { DiscoveryCache } from './discovery.ts'
import { describeOAuthError } from './errors.ts'
import { NetworkFailure, requestOptions } from './http.ts'
import { noRefreshTokenMessage } from './offline-access.ts'
import { profileFrom, sessionFrom } from './tokens.ts'

export async function refreshSession(
  settings: OidcSettings,
  session: Session,
  ctx: ProviderContext,
  deps: { discovery: DiscoveryCache },
): Promise<RefreshResult> {
  const host = settings.issuer.host
  if (session.refreshToken === null) {
    throw new RefreshRejectedError(noRefreshTokenMessage(host, session.scopes))
  }
  let server: oauth.AuthorizationServer
  try {
    server = await deps.discovery.get(settings.issuer, ctx.clock)
  } catch (error) {
    throw new TransientError(isAppError(error) ? error.message : `Could not read the configuration of ${host}.`, { cause: error })
  }
  const { client, auth } = clientFor(settings, server)
  let response: Response
  try {
    response = await oauth.refreshTokenGrantRequest(server, client, auth, session.refreshToken, requestOptions(settings.issuer))
  } catch (error) {
    const cause = error instanceof NetworkFailure ? { cause: error } : undefined
    throw new TransientError(`Could not reach ${host} to renew the session.`, cause)
  }
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    const retryAt = retryAtFrom(response.headers, ctx.clock.now())
    await response.body?.cancel()
    ctx.logger.warn('oidc.refresh.deferred', { host, status: response.status })
    throw new TransientError(deferredMessage(host, response.status, retryAt), retryAt === null ? {} : { retryAt })
  }
  if (response.status >= 400) {
    const reason = await rejectionReason(response)
    ctx.logger.warn('oidc.refresh.rejected', { host, status: response.status, error: reason })
    throw new RefreshRejectedError(`${host} refused to renew the session (${reason}). Sign in again.`)
  }
  let tokens: oauth.TokenEndpointResponse
  try {
    tokens = await oauth.processRefreshTokenResponse(server, client, response)
  } catch {
    // A success answer Latchkey cannot use. The server has most likely rotated the refresh token
    // already, so retrying with the old one would only trip its reuse detection: sign in again.
    // (The cause may hold tokens, so it is not kept.)
    throw new RefreshRejectedError(`${host} sent an answer to the refresh that Latchkey could not use. Sign in again.`)
  }
  const claims = oauth.getValidatedIdTokenClaims(tokens)
  const result: RefreshResult = { session: sessionFrom(tokens, ctx.clock.now(), session) }
  // Only claims about the person update the profile; an ID token with just `sub` brings none.
  const profile = claims === undefined ? {} : profileFrom(claims)
  if (Object.keys(profile).some((key) => key !== 'sub')) result.profile = profile
  return result
}

function deferredMessage(host: string, status: number, retryAt: number | null): string {
  const when = retryAt === null ? '' : ` Latchkey will try again after ${clockTime(minuteAtOrAfter(retryAt))}.`
  if (status === 429) return `${host} asks Latchkey to slow down before renewing the session (HTTP 429).${when}`
  return `${host} could not renew the session right now (HTTP ${String(status)}).${when}`
}

/** The server's error code when the body has one ("invalid_grant"), else "HTTP <status>". */
async function rejectionReason(response: Response): Promise<string> {
  const fallback = `HTTP ${String(response.status)}`
  try {
    const body: unknown = JSON.parse(await response.text())
    const error = (body as { error?: unknown } | null)?.error
    return typeof error === 'string' && error !== '' ? describeOAuthError(error) : fallback
  } catch {
    return fallback
  }
}
