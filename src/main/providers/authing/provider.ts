/** The Authing backend: v2 GraphQL/REST sign-in and renewal, OIDC in the browser, account actions. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { authingBackendName, parseAuthingConfig } from './config.ts'
import { AUTHING_DESCRIPTOR } from './descriptor.ts'

export interface AuthingProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
}

export function createAuthingProvider(options: AuthingProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return withOperationsOnFirstUse(
    {
      kind: 'authing',
      descriptor: AUTHING_DESCRIPTOR,
      // A v2 token renews itself (the refreshToken mutation) while it is valid; OIDC sessions carry a refresh token.
      refreshesWithoutRefreshToken: true,
      parseConfig: parseAuthingConfig,
      backendName: authingBackendName,
      canCheckSession: (session) => !session.refreshable,
    },
    ['beginSignIn', 'refresh', 'checkSession', 'signOut', 'actions', 'runAction'],
    async () => (await import('./operations.ts')).authingOperations(timeoutMs),
  )
}
