/** Turning oauth4webapi's token and userinfo responses into Latchkey's session, identity and profile. */
import type * as oauth from 'oauth4webapi'
import type { Identity, Session } from '../../core/sessions/session.ts'

/**
 * Protocol claims of an ID token: not something to show as the person's profile. `rat`: ORY Hydra's
 * time the sign-in was asked for; `typ`: Keycloak's token type ("ID"); `client_id`: the client the
 * token was issued to (RFC 8693 §4.3, RFC 9068 §2.2), which the zitadel/oidc library (and so
 * ZITADEL) puts in every ID token next to `azp`.
 */
const PROTOCOL_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'at_hash', 'c_hash', 's_hash', 'azp', 'auth_time', 'sid', 'acr', 'amr', 'cnf', 'rat', 'typ', 'client_id'])
const MAX_VALUE_LENGTH = 500

export function sessionFrom(
  tokens: oauth.TokenEndpointResponse,
  now: number,
  previous: { refreshToken: string | null; idToken: string | null; scopes: string[] },
): Session {
  return {
    accessToken: tokens.access_token,
    // Servers that do not rotate send no new refresh token: the old one stays valid.
    refreshToken: tokens.refresh_token ?? previous.refreshToken,
    // Refresh responses often carry no ID token: keep the one from the sign-in.
    idToken: tokens.id_token ?? previous.idToken,
    tokenType: tokens.token_type,
    scopes: typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : previous.scopes,
    expiresAt: typeof tokens.expires_in === 'number' ? now + tokens.expires_in * 1000 : null,
    issuedAt: now,
  }
}

/** Profile claims as strings, later sources winning (e.g. userinfo over the ID token). */
export function profileFrom(...sources: (Record<string, unknown> | undefined)[]): Record<string, string> {
  const profile: Record<string, string> = {}
  for (const source of sources) {
    for (const [key, value] of Object.entries(source ?? {})) {
      if (PROTOCOL_CLAIMS.has(key)) continue
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        profile[key] = String(value).slice(0, MAX_VALUE_LENGTH)
      }
    }
  }
  return profile
}

export function identityFrom(subject: string, profile: Record<string, string>): Identity {
  return {
    subject,
    name: profile.name ?? profile.preferred_username ?? profile.nickname ?? null,
    email: profile.email ?? null,
  }
}
