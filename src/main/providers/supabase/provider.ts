/** The Supabase backend (Supabase Auth / GoTrue), on the official `@supabase/auth-js` client. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { withOperationsOnFirstUse } from '../loaded-on-first-use.ts'
import { parseSupabaseConfig, supabaseBackendName } from './config.ts'
import { SUPABASE_DESCRIPTOR } from './descriptor.ts'

export interface SupabaseProviderOptions {
  /** How long a browser step (OAuth, a sign-in link) may take. Default 5 minutes, GoTrue's flow-state lifetime. */
  signInTimeoutMs?: number
}

export function createSupabaseProvider(options: SupabaseProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return withOperationsOnFirstUse(
    { kind: 'supabase', descriptor: SUPABASE_DESCRIPTOR, parseConfig: parseSupabaseConfig, backendName: supabaseBackendName },
    ['beginSignIn', 'refresh', 'signOut', 'actions', 'runAction'],
    async () => (await import('./operations.ts')).supabaseOperations(timeoutMs),
  )
}
