/** The Authing backend: v2 GraphQL/REST sign-in and renewal, OIDC in the browser, account actions. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { DiscoveryCache } from '../oidc/discovery.ts'
import { authingActions } from './actions.ts'
import { CodeSender } from './codes.ts'
import { authingBackendName, parseAuthingConfig, readSettings } from './config.ts'
import { AUTHING_DESCRIPTOR } from './descriptor.ts'
import { beginOidcSignIn, isOidcSession, refreshOidc, signOutOidc } from './oidc.ts'
import { checkV2Session, refreshV2Session } from './refresh.ts'
import { runAuthingAction } from './run-action.ts'
import { beginAuthingSignIn } from './sign-in.ts'
import { signOutV2Session } from './sign-out.ts'

export interface AuthingProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
}

export function createAuthingProvider(options: AuthingProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  const discovery = new DiscoveryCache()
  const codes = new CodeSender()
  return {
    kind: 'authing',
    descriptor: AUTHING_DESCRIPTOR,
    // A v2 token renews itself (the refreshToken mutation) while it is valid; OIDC sessions carry a refresh token.
    refreshesWithoutRefreshToken: true,
    parseConfig: parseAuthingConfig,
    backendName: authingBackendName,
    beginSignIn: (config, ctx) =>
      beginAuthingSignIn(readSettings(config), ctx, { codes, browser: (settings, context) => beginOidcSignIn(settings, context, { discovery, timeoutMs }) }),
    refresh: (config, session, ctx) => {
      const settings = readSettings(config)
      return isOidcSession(session) ? refreshOidc(settings, session, ctx, discovery) : refreshV2Session(settings, session, ctx)
    },
    // "Check session" and the start-up check: checkLoginStatus, for v2 tokens (OIDC sessions renew with their refresh token: see isOidcSession).
    checkSession: (config, session, ctx) => checkV2Session(readSettings(config), session, ctx),
    canCheckSession: (session) => !session.refreshable,
    signOut: (config, session, ctx) => {
      const settings = readSettings(config)
      return isOidcSession(session) ? signOutOidc(settings, session, ctx, discovery) : signOutV2Session(settings, session, ctx)
    },
    actions: authingActions,
    runAction: (account, form, action, values, ctx) => runAuthingAction(account, form, action, values, ctx, codes),
  }
}
