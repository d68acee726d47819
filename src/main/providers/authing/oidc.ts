/**
 * Browser sign-in, renewal and sign-out of OIDC sessions, through the OpenID Connect backend's own
 * machinery (discovery, PKCE S256, state, nonce, `iss`, ID-token validation, RFC 7009 revocation,
 * RP-initiated logout). Authing's issuer is `{appHost}/oidc`; its redirect URIs match exactly, port
 * included, so the loopback port is the pinned one the person registered. Authing does not rotate
 * refresh tokens by default: the OIDC refresh keeps the old one when none comes back.
 */
import type { BrowserSignIn, ProviderContext, RefreshResult, SignOutResult } from '../../core/provider.ts'
import type { Session, SignedIn } from '../../core/sessions/session.ts'
import type { OidcSettings } from '../oidc/config.ts'
import type { DiscoveryCache } from '../oidc/discovery.ts'
import { refreshSession } from '../oidc/refresh.ts'
import { beginBrowserSignIn } from '../oidc/sign-in.ts'
import { signOutSession } from '../oidc/sign-out.ts'
import { AppError } from '../../core/errors.ts'
import type { AuthingSettings } from './config.ts'

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access']

export function oidcSettings(settings: AuthingSettings): OidcSettings {
  if (settings.redirectPort === null || settings.oidcClientId === null) {
    throw new AppError('UNSUPPORTED', 'Browser sign-in is not set up for this account: add the port of the registered callback URL.')
  }
  return {
    issuer: new URL(`${settings.appHost}/oidc`),
    clientId: settings.oidcClientId,
    clientSecret: null,
    scopes: OIDC_SCOPES,
    redirectPort: settings.redirectPort,
    redirectPath: settings.redirectPath,
    // Authing issues a refresh token for offline_access only after prompt=consent (authing-node-sdk).
    consent: 'when-needed',
  }
}

export function beginOidcSignIn(settings: AuthingSettings, ctx: ProviderContext, deps: { discovery: DiscoveryCache; timeoutMs: number }): Promise<BrowserSignIn<SignedIn>> {
  return beginBrowserSignIn(oidcSettings(settings), ctx, deps)
}

export function refreshOidc(settings: AuthingSettings, session: Session, ctx: ProviderContext, discovery: DiscoveryCache): Promise<RefreshResult> {
  return refreshSession(oidcSettings(settings), session, ctx, { discovery })
}

export function signOutOidc(settings: AuthingSettings, session: Session, ctx: ProviderContext, discovery: DiscoveryCache): Promise<SignOutResult> {
  return signOutSession(oidcSettings(settings), session, ctx, { discovery })
}

/** An OIDC session holds a refresh token; a v2 session is its token alone. */
export function isOidcSession(session: Session): boolean {
  return session.refreshToken !== null
}
