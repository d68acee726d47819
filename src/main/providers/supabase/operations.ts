/** What the Supabase backend does on its server, with `@supabase/auth-js`: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { supabaseActions } from './actions.ts'
import { readSettings } from './config.ts'
import { refreshSupabaseSession } from './refresh.ts'
import { runSupabaseAction } from './run-action.ts'
import { beginSupabaseSignIn } from './sign-in.ts'
import { signOutSupabaseSession } from './sign-out.ts'

export function supabaseOperations(timeoutMs: number): Operations {
  return {
    beginSignIn: (config, ctx) => beginSupabaseSignIn(readSettings(config), ctx, { timeoutMs }),
    refresh: (config, session, ctx) => refreshSupabaseSession(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutSupabaseSession(readSettings(config), session, ctx),
    actions: supabaseActions,
    runAction: runSupabaseAction,
  }
}
