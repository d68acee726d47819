/** Turning oauth4webapi's token and userinfo responses into Latchkey's session, identity and profile. */
import type * as oauth from 'oauth4webapi'
import { epochSeconds, plainValue, rfc3339, yesNo, type Profile, type ProfileValue } from '../../core/profile.ts'
import type { Identity, Session } from '../../core/sessions/session.ts'

/**
 * Protocol claims of an ID token: not something to show as the person's profile. `rat`: ORY Hydra's
 * time the sign-in was asked for; `typ`: Keycloak's token type ("ID"); `client_id`: the client the
 * token was issued to (RFC 8693 §4.3, RFC 9068 §2.2), which the zitadel/oidc library (and so
 * ZITADEL) puts in every ID token next to `azp`.
 */
const PROTOCOL_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'at_hash', 'c_hash', 's_hash', 'azp', 'auth_time', 'sid', 'acr', 'amr', 'cnf', 'rat', 'typ', 'client_id'])

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

/**
 * Standard claims whose type OpenID Connect Core 1.0 §5.1 gives, beyond what JSON says: `updated_at`
 * is seconds since the epoch (some servers write it as an RFC 3339 date-time instead); the
 * `*_verified` claims are booleans (some servers write "true"/"false").
 */
const TIME_CLAIMS = new Set(['updated_at'])
const YES_NO_CLAIMS = new Set(['email_verified', 'phone_number_verified'])

/** Profile claims, later sources winning (e.g. userinfo over the ID token): times and yes/no where the claim is one. */
export function profileFrom(...sources: (Record<string, unknown> | undefined)[]): Profile {
  const profile: Profile = {}
  for (const source of sources) {
    for (const [key, value] of Object.entries(source ?? {})) {
      if (PROTOCOL_CLAIMS.has(key)) continue
      const claim = claimValue(key, value)
      if (claim !== null) profile[key] = claim
    }
  }
  return profile
}

function claimValue(key: string, value: unknown): ProfileValue | null {
  if (TIME_CLAIMS.has(key)) return epochSeconds(value) ?? rfc3339(value) ?? plainValue(value)
  if (YES_NO_CLAIMS.has(key) && (value === 'true' || value === 'false')) return yesNo(value === 'true')
  return plainValue(value)
}

export function identityFrom(subject: string, profile: Profile): Identity {
  return {
    subject,
    name: textOf(profile.name) ?? textOf(profile.preferred_username) ?? textOf(profile.nickname) ?? null,
    email: textOf(profile.email) ?? null,
  }
}

/** A claim given as text, not as a yes/no or a time. */
function textOf(value: ProfileValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}
