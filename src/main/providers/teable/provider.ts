/** The Teable backend: a cookie session kept alive by use, and personal access tokens. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { actionInput } from './account-call.ts'
import { teableActions } from './actions.ts'
import { parseTeableConfig, readTeableSettings, teableBackendName } from './config.ts'
import { TEABLE_DESCRIPTOR } from './descriptor.ts'
import { refreshTeableSession } from './refresh.ts'
import type { PendingEmails } from './security-actions.ts'
import { beginTeableSignIn } from './sign-in.ts'
import { signOutTeableSession } from './sign-out.ts'
import { deleteCreatedTokens, tokenSecrets } from './token-actions.ts'
import { teableHandOut } from './hand-out.ts'

export interface TeableProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
}

export function createTeableProvider(options: TeableProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  const pending: PendingEmails = new Map()
  const actions = teableActions(pending)
  return {
    kind: 'teable',
    descriptor: TEABLE_DESCRIPTOR,
    // No refresh token: the session is renewed by using it, a token-only account is checked.
    refreshesWithoutRefreshToken: true,
    // Sign-out destroys the server's session (a token-only account says honestly that it cannot).
    signOutEndsSession: true,
    parseConfig: parseTeableConfig,
    backendName: teableBackendName,
    beginSignIn: (config, ctx) => beginTeableSignIn(readTeableSettings(config), ctx, { timeoutMs }),
    refresh: (config, session, ctx) => refreshTeableSession(readTeableSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutTeableSession(readTeableSettings(config), session, ctx),
    actions: (account, ctx) => actions.list(account, ctx),
    runAction: (account, form, action, values, ctx) => actions.run(account, form, action, values, ctx),
    removeOption: (config) => {
      const count = tokenSecrets(config).created.length
      return count === 0 ? null : `Also delete on the server the ${count === 1 ? 'access token' : `${String(count)} access tokens`} Latchkey created for this account`
    },
    cleanUp: (account, ctx) => deleteCreatedTokens(actionInput(account, {}, ctx)),
    handOut: teableHandOut,
  }
}
