/**
 * The realm a test Keycloak imports at start: one public client for Latchkey (authorization code
 * with PKCE S256 required, consent asked, the loopback redirect registered without a port, which
 * Keycloak then accepts on any port as RFC 8252 §7.3 asks), and a copy of it with consent off;
 * one confidential client the tests use as
 * the realm's administrator (a service account with realm-management roles: ending sessions,
 * changing realm settings) and to ask whether a token is still active; and the demo people with
 * verified addresses and full names (otherwise Keycloak stops the sign-in to ask for them).
 */
import type { DemoUser } from '../oidc/demo-users.ts'

export const REALM = 'latchkey'
export const CLIENT_ID = 'latchkey-desktop'
/** The same client with consent off, as Keycloak makes a new client: no consent page. */
export const NO_CONSENT_CLIENT_ID = 'latchkey-desktop-no-consent'
export const INSPECTOR_ID = 'test-administrator'

export interface RealmOptions {
  users: readonly DemoUser[]
  /** The administering client's secret (the realm file is written with mode 0600). */
  inspectorSecret: string
  accessTokenTtlSeconds: number
  /** Keycloak's "Revoke Refresh Token": each refresh token works once (off by default). */
  revokeRefreshToken: boolean
  /** How long an idle session (and so its refresh token, offline or not) lasts; default Keycloak's (30 min, 30 days offline). */
  sessionIdleSeconds?: number
  /** People without Keycloak's `offline_access` role (imported people get no default roles otherwise). */
  withoutOfflineRole: readonly string[]
}

export function realmRepresentation(options: RealmOptions): Record<string, unknown> {
  return {
    realm: REALM,
    enabled: true,
    accessTokenLifespan: options.accessTokenTtlSeconds,
    revokeRefreshToken: options.revokeRefreshToken,
    refreshTokenMaxReuse: 0,
    bruteForceProtected: false,
    ...(options.sessionIdleSeconds === undefined ? {} : { ssoSessionIdleTimeout: options.sessionIdleSeconds, offlineSessionIdleTimeout: options.sessionIdleSeconds }),
    users: [
      {
        username: `service-account-${INSPECTOR_ID}`,
        enabled: true,
        serviceAccountClientId: INSPECTOR_ID,
        clientRoles: { 'realm-management': ['manage-users', 'view-users', 'manage-realm', 'view-realm', 'view-clients'] },
      },
      ...options.users.map((user) => {
        const [firstName, ...rest] = user.name.split(' ')
        return {
          username: user.id,
          enabled: true,
          email: user.email,
          emailVerified: true,
          firstName,
          lastName: rest.join(' ') || firstName,
          credentials: [{ type: 'password', value: user.password, temporary: false }],
          realmRoles: options.withoutOfflineRole.includes(user.id) ? [] : [`default-roles-${REALM}`],
        }
      }),
    ],
    clients: [
      {
        clientId: CLIENT_ID,
        name: 'Latchkey',
        enabled: true,
        publicClient: true,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        consentRequired: true,
        redirectUris: ['http://127.0.0.1/callback'],
        webOrigins: [],
        attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': '+' },
      },
      {
        clientId: NO_CONSENT_CLIENT_ID,
        name: 'Latchkey (no consent page)',
        enabled: true,
        publicClient: true,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        consentRequired: false,
        redirectUris: ['http://127.0.0.1/callback'],
        webOrigins: [],
        attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': '+' },
      },
      {
        clientId: INSPECTOR_ID,
        enabled: true,
        publicClient: false,
        clientAuthenticatorType: 'client-secret',
        secret: options.inspectorSecret,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: true,
      },
    ],
  }
}
