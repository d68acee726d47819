/** The generic OpenID Connect backend, on oauth4webapi. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { oidcBackendName, parseOidcConfig, readSettings } from './config.ts'
import { OIDC_DESCRIPTOR } from './descriptor.ts'
import { DEFAULT_DISCOVERY_TTL_MS, DiscoveryCache } from './discovery.ts'
import { refreshSession } from './refresh.ts'
import { beginBrowserSignIn } from './sign-in.ts'
import { signOutSession } from './sign-out.ts'

export interface OidcProviderOptions {
  /** How long a browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number
  /** How long discovered issuer metadata is reused. Default 5 minutes. */
  discoveryTtlMs?: number
}

export function createOidcProvider(options: OidcProviderOptions = {}): Provider {
  const discovery = new DiscoveryCache(options.discoveryTtlMs ?? DEFAULT_DISCOVERY_TTL_MS)
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return {
    kind: 'oidc',
    descriptor: OIDC_DESCRIPTOR,
    parseConfig: parseOidcConfig,
    backendName: oidcBackendName,
    beginSignIn: (config, ctx, options) => beginBrowserSignIn(readSettings(config), ctx, { discovery, timeoutMs }, options),
    refresh: (config, session, ctx) => refreshSession(readSettings(config), session, ctx, { discovery }),
    signOut: (config, session, ctx) => signOutSession(readSettings(config), session, ctx, { discovery }),
  }
}
