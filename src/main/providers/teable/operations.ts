/** What the Teable backend does on its server: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { actionInput } from './account-call.ts'
import { teableActions } from './actions.ts'
import { readTeableSettings } from './config.ts'
import { refreshTeableSession } from './refresh.ts'
import type { PendingEmails } from './security-actions.ts'
import { beginTeableSignIn } from './sign-in.ts'
import { signOutTeableSession } from './sign-out.ts'
import { deleteCreatedTokens } from './token-actions.ts'

export function teableOperations(timeoutMs: number): Operations {
  const pending: PendingEmails = new Map()
  const actions = teableActions(pending)
  return {
    beginSignIn: (config, ctx) => beginTeableSignIn(readTeableSettings(config), ctx, { timeoutMs }),
    refresh: (config, session, ctx) => refreshTeableSession(readTeableSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutTeableSession(readTeableSettings(config), session, ctx),
    actions: (account, ctx) => actions.list(account, ctx),
    runAction: (account, form, action, values, ctx) => actions.run(account, form, action, values, ctx),
    cleanUp: (account, ctx) => deleteCreatedTokens(actionInput(account, {}, ctx)),
  }
}
