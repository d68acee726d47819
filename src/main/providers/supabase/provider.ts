/** The Supabase backend (Supabase Auth / GoTrue), on the official `@supabase/auth-js` client. */
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../../core/oauth/loopback.ts'
import type { Provider } from '../../core/provider.ts'
import { supabaseActions } from './actions.ts'
import { parseSupabaseConfig, readSettings, supabaseBackendName } from './config.ts'
import { SUPABASE_DESCRIPTOR } from './descriptor.ts'
import { refreshSupabaseSession } from './refresh.ts'
import { runSupabaseAction } from './run-action.ts'
import { beginSupabaseSignIn } from './sign-in.ts'
import { signOutSupabaseSession } from './sign-out.ts'

export interface SupabaseProviderOptions {
  /** How long a browser step (OAuth, a sign-in link) may take. Default 5 minutes, GoTrue's flow-state lifetime. */
  signInTimeoutMs?: number
}

export function createSupabaseProvider(options: SupabaseProviderOptions = {}): Provider {
  const timeoutMs = options.signInTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS
  return {
    kind: 'supabase',
    descriptor: SUPABASE_DESCRIPTOR,
    parseConfig: parseSupabaseConfig,
    backendName: supabaseBackendName,
    beginSignIn: (config, ctx) => beginSupabaseSignIn(readSettings(config), ctx, { timeoutMs }),
    refresh: (config, session, ctx) => refreshSupabaseSession(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutSupabaseSession(readSettings(config), session, ctx),
    actions: supabaseActions,
    runAction: runSupabaseAction,
  }
}
