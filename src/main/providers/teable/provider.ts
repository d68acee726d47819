/** The Teable backend: a cookie session kept alive by use, and personal access tokens. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { parseTeableConfig, teableBackendName } from './config.ts'
import { TEABLE_DESCRIPTOR } from './descriptor.ts'
import { teableHandOut } from './hand-out.ts'
import { tokenSecrets } from './token-secrets.ts'

export interface TeableProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
}

export function createTeableProvider(options: TeableProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return withOperationsOnFirstUse(
    {
      kind: 'teable',
      descriptor: TEABLE_DESCRIPTOR,
      // No refresh token: the session is renewed by using it, a token-only account is checked.
      refreshesWithoutRefreshToken: true,
      // Sign-out destroys the server's session (a token-only account says honestly that it cannot).
      signOutEndsSession: true,
      parseConfig: parseTeableConfig,
      backendName: teableBackendName,
      removeOption: (config) => {
        const count = tokenSecrets(config).created.length
        return count === 0 ? null : `Also delete on the server the ${count === 1 ? 'access token' : `${String(count)} access tokens`} Latchkey created for this account`
      },
      handOut: teableHandOut,
    },
    ['beginSignIn', 'refresh', 'signOut', 'actions', 'runAction', 'cleanUp'],
    async () => (await import('./operations.ts')).teableOperations(timeoutMs),
  )
}
