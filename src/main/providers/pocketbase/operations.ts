/** What the PocketBase backend does on its server, with the `pocketbase` SDK: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { pocketBaseActions } from './actions.ts'
import { readSettings } from './config.ts'
import { refreshPocketBaseSession } from './refresh.ts'
import { runPocketBaseAction } from './run-action.ts'
import { beginPocketBaseSignIn } from './sign-in.ts'
import { signOutPocketBaseSession } from './sign-out.ts'

export function pocketBaseOperations(timeoutMs: number): Operations {
  return {
    beginSignIn: (config, ctx) => beginPocketBaseSignIn(readSettings(config), ctx, { timeoutMs }),
    refresh: (config, session, ctx) => refreshPocketBaseSession(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutPocketBaseSession(readSettings(config), session, ctx),
    actions: pocketBaseActions,
    runAction: runPocketBaseAction,
  }
}
