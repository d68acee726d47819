/**
 * HBP's session answer `{jwt_token, jwt_expires_in (ms), user: {id, display_name, email}, refresh_token}`
 * as Latchkey's session, identity and profile. The expiry is the JWT's own `exp` (HBP counts
 * JWT_EXPIRES_IN in minutes; `jwt_expires_in` is the same lifetime in milliseconds, used only when the
 * token has no `exp`). The Hasura claims are read where the server writes them: kebab-case
 * `x-hasura-*` keys under the configured namespace (not the `allowed_roles` some clients look for).
 */
import { decodeJwt } from 'jose'
import type { Identity, Session, SignedIn } from '../../core/sessions/session.ts'
import { HASURA_DEFAULT_NAMESPACE, SYNMETRIX_NAMESPACE } from './settings.ts'
import type { SynmetrixSettings } from './settings.ts'

export const TOKEN_TYPE = 'Bearer'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface HasuraClaims {
  namespace: string
  userId: string | null
  allowedRoles: string[]
  defaultRole: string | null
}

/** Not an HBP session answer (a proxy's page, a cookie-mode answer without a refresh token). */
export class NotASession extends Error {}

export function isRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** The claims under the configured namespace; failing that, under the other well-known one (said in the profile). */
export function hasuraClaims(token: string, namespace: string): HasuraClaims {
  const payload = decodeJwt(token)
  const candidates = [namespace, ...[SYNMETRIX_NAMESPACE, HASURA_DEFAULT_NAMESPACE].filter((other) => other !== namespace)]
  for (const name of candidates) {
    const claims: unknown = payload[name]
    if (typeof claims !== 'object' || claims === null) continue
    const record = claims as Record<string, unknown>
    const roles = record['x-hasura-allowed-roles']
    return {
      namespace: name,
      userId: typeof record['x-hasura-user-id'] === 'string' ? record['x-hasura-user-id'] : null,
      allowedRoles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
      defaultRole: typeof record['x-hasura-default-role'] === 'string' ? record['x-hasura-default-role'] : null,
    }
  }
  return { namespace, userId: null, allowedRoles: [], defaultRole: null }
}

/** What the account screen shows: who, the Hasura claims, and the role chosen for other tools. */
export function profileOf(token: string, user: Identity, settings: SynmetrixSettings): Record<string, string> {
  const claims = hasuraClaims(token, settings.claimsNamespace)
  const profile: Record<string, string> = { 'User id': claims.userId ?? user.subject }
  if (user.name !== null && user.name !== user.email) profile['Display name'] = user.name
  if (user.email !== null) profile.Email = user.email
  if (claims.allowedRoles.length === 0 && claims.defaultRole === null) {
    profile['Hasura claims'] = `none under “${settings.claimsNamespace}” (check the claims namespace setting)`
    return profile
  }
  profile['Allowed roles'] = claims.allowedRoles.join(', ')
  profile['Default role'] = claims.defaultRole ?? '(none)'
  if (claims.namespace !== settings.claimsNamespace) profile['Claims namespace'] = `${claims.namespace} (not ${settings.claimsNamespace})`
  profile['Role for other tools'] = chosenRole(settings, claims)
  return profile
}

/** The role chosen for this account if the token still allows it, else the default role. */
export function chosenRole(settings: SynmetrixSettings, claims: HasuraClaims): string {
  if (settings.role !== null && claims.allowedRoles.includes(settings.role)) return settings.role
  return claims.defaultRole ?? ''
}

export function signedInFrom(body: unknown, settings: SynmetrixSettings, now: number): SignedIn {
  if (typeof body !== 'object' || body === null) throw new NotASession('not JSON')
  const answer = body as { jwt_token?: unknown; jwt_expires_in?: unknown; user?: unknown; refresh_token?: unknown }
  if (typeof answer.jwt_token !== 'string' || answer.jwt_token === '') throw new NotASession('no jwt_token')
  if (!isRefreshToken(answer.refresh_token)) throw new NotASession('no refresh_token')
  let exp: unknown
  try {
    exp = decodeJwt(answer.jwt_token).exp
  } catch {
    throw new NotASession('jwt_token is not a JWT')
  }
  const lifetime = typeof answer.jwt_expires_in === 'number' && answer.jwt_expires_in > 0 ? answer.jwt_expires_in : null
  const expiresAt = typeof exp === 'number' ? exp * 1000 : lifetime === null ? null : now + lifetime
  const user = typeof answer.user === 'object' && answer.user !== null ? (answer.user as Record<string, unknown>) : {}
  const claims = hasuraClaims(answer.jwt_token, settings.claimsNamespace)
  const id = typeof user.id === 'string' ? user.id : (claims.userId ?? '')
  if (id === '') throw new NotASession('no user id')
  const identity = {
    subject: id,
    name: typeof user.display_name === 'string' && user.display_name !== '' ? user.display_name : null,
    email: typeof user.email === 'string' && user.email !== '' ? user.email : null,
  }
  const session: Session = {
    accessToken: answer.jwt_token,
    refreshToken: answer.refresh_token,
    idToken: null,
    tokenType: TOKEN_TYPE,
    scopes: [],
    expiresAt,
    issuedAt: now,
  }
  return { session, identity, profile: profileOf(answer.jwt_token, identity, settings) }
}
