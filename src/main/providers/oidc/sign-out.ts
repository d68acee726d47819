/**
 * Sign-out: RFC 7009 revocation of the refresh token (or, without one, the access token) with a
 * client authentication the server advertises, and the RP-initiated logout URL of the identity
 * provider's browser session. Never throws: a server that refuses or cannot be reached is reported
 * honestly in the result.
 */
import * as oauth from 'oauth4webapi'
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { clientFor } from './client.ts'
import type { OidcSettings } from './config.ts'
import type { DiscoveryCache } from './discovery.ts'
import { NetworkFailure, requestOptions } from './http.ts'
import { revocationAuth } from './revocation-auth.ts'

export async function signOutSession(
  settings: OidcSettings,
  session: Session,
  ctx: ProviderContext,
  deps: { discovery: DiscoveryCache },
): Promise<SignOutResult> {
  const host = settings.issuer.host
  let server: oauth.AuthorizationServer
  try {
    server = await deps.discovery.get(settings.issuer, ctx.clock)
  } catch {
    ctx.logger.warn('oidc.signout.unreachable', { host })
    return notRevoked(null, `Could not reach ${host}, so the session was not revoked on the server.`)
  }
  const endSessionUrl = buildEndSessionUrl(server, settings)
  if (server.revocation_endpoint === undefined) {
    return notRevoked(endSessionUrl, `${host} offers no way to revoke a session; it stays valid there until it expires.`)
  }
  const chosen = revocationAuth(settings, server, session)
  if (chosen.method === null) {
    ctx.logger.warn('oidc.signout.no-method', { host, advertised: chosen.advertised.join(' ') })
    return notRevoked(
      endSessionUrl,
      `${host} accepts revocation only with ${chosen.advertised.join(', ')}, which this client cannot use, so the session was not revoked; it stays valid there until it expires.`,
    )
  }
  const { client } = clientFor(settings, server)
  const [token, hint] = session.refreshToken === null ? [session.accessToken, 'access_token'] : [session.refreshToken, 'refresh_token']
  let status: number
  try {
    const response = await oauth.revocationRequest(server, client, chosen.auth, token, {
      ...requestOptions(settings.issuer),
      additionalParameters: { token_type_hint: hint },
    })
    status = response.status
    await response.body?.cancel()
  } catch (error) {
    ctx.logger.warn('oidc.signout.unreachable', { host, reason: error instanceof NetworkFailure ? 'network' : 'request' })
    return notRevoked(endSessionUrl, `Could not reach ${host}, so the session was not revoked on the server.`)
  }
  if (status !== 200) {
    ctx.logger.warn('oidc.signout.refused', { host, status, method: chosen.method })
    return notRevoked(endSessionUrl, `${host} refused to revoke the session (HTTP ${String(status)}); it stays valid there until it expires.`)
  }
  ctx.logger.info('oidc.signout.revoked', { host })
  return { revokedOnServer: true, endSessionUrl, message: `${host} revoked the session.` }
}

function notRevoked(endSessionUrl: string | null, message: string): SignOutResult {
  return { revokedOnServer: false, endSessionUrl, message }
}

/**
 * RP-initiated logout by `client_id` alone. No `id_token_hint`: the URL goes to the system browser
 * (its history, the command line that opens it), and Latchkey never puts a token in a URL. The
 * provider may then ask the person to confirm the sign-out.
 */
function buildEndSessionUrl(server: oauth.AuthorizationServer, settings: OidcSettings): string | null {
  if (server.end_session_endpoint === undefined) return null
  const url = URL.parse(server.end_session_endpoint)
  if (url === null) return null
  url.searchParams.set('client_id', settings.clientId)
  return url.href
}
