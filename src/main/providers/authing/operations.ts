/** What the Authing backend does on its server: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { DiscoveryCache } from '../oidc/discovery.ts'
import { authingActions } from './actions.ts'
import { CodeSender } from './codes.ts'
import { readSettings } from './config.ts'
import { beginOidcSignIn, isOidcSession, refreshOidc, signOutOidc } from './oidc.ts'
import { checkV2Session, refreshV2Session } from './refresh.ts'
import { runAuthingAction } from './run-action.ts'
import { beginAuthingSignIn } from './sign-in.ts'
import { signOutV2Session } from './sign-out.ts'

export function authingOperations(timeoutMs: number): Operations {
  const discovery = new DiscoveryCache()
  const codes = new CodeSender()
  return {
    beginSignIn: (config, ctx) =>
      beginAuthingSignIn(readSettings(config), ctx, { codes, browser: (settings, context) => beginOidcSignIn(settings, context, { discovery, timeoutMs }) }),
    refresh: (config, session, ctx) => {
      const settings = readSettings(config)
      return isOidcSession(session) ? refreshOidc(settings, session, ctx, discovery) : refreshV2Session(settings, session, ctx)
    },
    // "Check session" and the start-up check: checkLoginStatus, for v2 tokens (OIDC sessions renew with their refresh token: see isOidcSession).
    checkSession: (config, session, ctx) => checkV2Session(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => {
      const settings = readSettings(config)
      return isOidcSession(session) ? signOutOidc(settings, session, ctx, discovery) : signOutV2Session(settings, session, ctx)
    },
    actions: authingActions,
    runAction: (account, form, action, values, ctx) => runAuthingAction(account, form, action, values, ctx, codes),
  }
}
