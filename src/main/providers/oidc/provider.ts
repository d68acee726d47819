/** The generic OpenID Connect backend, on oauth4webapi. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { oidcBackendName, parseOidcConfig } from './config.ts'
import { OIDC_DESCRIPTOR } from './descriptor.ts'

export interface OidcProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
  /** How long discovered issuer metadata is reused. Default 5 minutes. */
  discoveryTtlMs?: number
}

export function createOidcProvider(options: OidcProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return withOperationsOnFirstUse(
    { kind: 'oidc', descriptor: OIDC_DESCRIPTOR, parseConfig: parseOidcConfig, backendName: oidcBackendName },
    ['beginSignIn', 'refresh', 'signOut'],
    async () => (await import('./operations.ts')).oidcOperations({ timeoutMs, discoveryTtlMs: options.discoveryTtlMs }),
  )
}
