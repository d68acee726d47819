/**
 * How an authorization request asks for a refresh token. The standard way is the `offline_access`
 * scope (OpenID Connect Core §11), which is what the default scopes hold. Servers that publish
 * `scopes_supported` without it refuse it as an unknown scope instead of ignoring it: Google shows
 * its own "invalid_scope" error page and never returns to Latchkey, GitLab and Amazon Cognito
 * return `invalid_scope`. For those it is left out of the request; GitLab and Cognito issue
 * refresh tokens without it, and Google issues one for `access_type=offline`, its own parameter.
 * ORY Hydra takes its own name `offline` as well, and a client registered the way its guides show
 * may ask for `offline` only: it then refuses `offline_access` as `invalid_scope`.
 */
import type * as oauth from 'oauth4webapi'
import type { OidcSettings } from './config.ts'

export const OFFLINE_ACCESS = 'offline_access'
const GOOGLE_ISSUER = 'https://accounts.google.com'

export interface OfflineAccess {
  /** The scopes to send. */
  scopes: string[]
  /** Parameters the server takes instead of the scope (Google's access_type=offline). */
  params: Record<string, string>
  /** Whether the request asks for a refresh token (then consent may be asked too: see prompt.ts). */
  asked: boolean
}

export function offlineAccess(settings: Pick<OidcSettings, 'scopes'>, server: Pick<oauth.AuthorizationServer, 'issuer' | 'scopes_supported'>): OfflineAccess {
  const asked = settings.scopes.includes(OFFLINE_ACCESS)
  const supported = server.scopes_supported
  if (!asked || !Array.isArray(supported) || supported.includes(OFFLINE_ACCESS)) return { scopes: settings.scopes, params: {}, asked }
  const scopes = settings.scopes.filter((scope) => scope !== OFFLINE_ACCESS)
  if (server.issuer === GOOGLE_ISSUER) return { scopes, params: { access_type: 'offline' }, asked: true }
  return { scopes, params: {}, asked: false }
}

/** Hydra's own name for offline_access, which it lists in `scopes_supported` next to it. */
const OFFLINE_ALIAS = 'offline'

/** What to change after the server refused the scopes asked for (`invalid_scope`). */
export function invalidScopeAdvice(offline: OfflineAccess, server: Pick<oauth.AuthorizationServer, 'scopes_supported'>): string {
  const supported = server.scopes_supported
  const alias =
    offline.scopes.includes(OFFLINE_ACCESS) && Array.isArray(supported) && supported.includes(OFFLINE_ALIAS)
      ? ` For a refresh token this provider also takes “${OFFLINE_ALIAS}” in place of ${OFFLINE_ACCESS}.`
      : ''
  return `Change Scopes in this account's settings to ones this client may ask for.${alias}`
}

/**
 * What to do after the server refused offline access at the code exchange: Keycloak answers
 * `not_allowed` ("Offline tokens not allowed for the user or client") when the person lacks its
 * `offline_access` role or the client its offline_access scope. Without the scope it still gives a
 * refresh token, bound to its own sign-in session. Empty when offline_access was not asked for.
 */
export function offlineRefusedAdvice(offline: OfflineAccess): string {
  if (!offline.scopes.includes(OFFLINE_ACCESS)) return ''
  return `It gives a refresh token for ${OFFLINE_ACCESS} only to people and clients allowed offline access: ask its administrator for that, or remove ${OFFLINE_ACCESS} from Scopes in this account's settings.`
}

/**
 * Why a session has no refresh token to renew it with. A server may leave the refresh token out
 * without a word though offline_access was asked for and granted: the zitadel/oidc library (and so
 * ZITADEL) does for a client without the refresh_token grant (pkg/op/token.go, needsRefreshToken).
 */
export function noRefreshTokenMessage(host: string, scopes: readonly string[]): string {
  if (!scopes.includes(OFFLINE_ACCESS)) return 'This session cannot be renewed without signing in again.'
  return (
    `${host} gave this session no refresh token although Latchkey asked for ${OFFLINE_ACCESS}, so it cannot be renewed: ` +
    "the client is most likely not allowed refresh tokens (in ZITADEL, the application's “Refresh Token” option). Ask its administrator, or sign in again."
  )
}
