/** What the OpenID Connect backend does on its server, with `oauth4webapi`: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { readSettings } from './config.ts'
import { DEFAULT_DISCOVERY_TTL_MS, DiscoveryCache } from './discovery.ts'
import { refreshSession } from './refresh.ts'
import { beginBrowserSignIn } from './sign-in.ts'
import { signOutSession } from './sign-out.ts'

export function oidcOperations(options: { timeoutMs: number; discoveryTtlMs: number | undefined }): Operations {
  const discovery = new DiscoveryCache(options.discoveryTtlMs ?? DEFAULT_DISCOVERY_TTL_MS)
  const { timeoutMs } = options
  return {
    beginSignIn: (config, ctx, signInOptions) => beginBrowserSignIn(readSettings(config), ctx, { discovery, timeoutMs }, signInOptions),
    refresh: (config, session, ctx) => refreshSession(readSettings(config), session, ctx, { discovery }),
    signOut: (config, session, ctx) => signOutSession(readSettings(config), session, ctx, { discovery }),
  }
}
