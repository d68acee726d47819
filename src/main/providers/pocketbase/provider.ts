/** The PocketBase backend (also BosBase, a PocketBase fork), on the official `pocketbase` SDK. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { parsePocketBaseConfig, pocketBaseBackendName, readSettings } from './config.ts'
import { POCKETBASE_DESCRIPTOR } from './descriptor.ts'

export interface PocketBaseProviderOptions {
  /** How long an OAuth2 sign-in in the browser may take. Default 5 minutes. */
  signInTimeoutMs?: number
}

export function createPocketBaseProvider(options: PocketBaseProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return withOperationsOnFirstUse(
    {
      kind: 'pocketbase',
      descriptor: POCKETBASE_DESCRIPTOR,
      // PocketBase has no refresh token: auth-refresh renews a token that is still valid.
      refreshesWithoutRefreshToken: true,
      // Its tokens are stateless: the one a renewal replaced stays valid until it expires.
      renewalKeepsOldToken: true,
      parseConfig: parsePocketBaseConfig,
      backendName: pocketBaseBackendName,
      // An impersonated session comes from a superuser's action, not from a sign-in.
      canSignInAgain: (config) => readSettings(config).impersonatedBy === null,
    },
    ['beginSignIn', 'refresh', 'signOut', 'actions', 'runAction'],
    async () => (await import('./operations.ts')).pocketBaseOperations(timeoutMs),
  )
}
