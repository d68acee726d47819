/** What the Synmetrix backend does on its server: loaded on first use (see loaded-on-first-use.ts). */
import type { Operations } from '../loaded-on-first-use.ts'
import { synmetrixActions } from './actions.ts'
import { readSettings } from './config.ts'
import { Enrollments } from './enrollments.ts'
import { refreshSynmetrixSession } from './refresh.ts'
import { runSynmetrixAction } from './run-action.ts'
import { beginSynmetrixSignIn } from './sign-in.ts'
import { signOutSynmetrixSession } from './sign-out.ts'

export function synmetrixOperations(): Operations {
  const enrollments = new Enrollments()
  return {
    beginSignIn: (config, ctx) => beginSynmetrixSignIn(readSettings(config), ctx),
    refresh: (config, session, ctx) => refreshSynmetrixSession(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutSynmetrixSession(readSettings(config), session, ctx),
    actions: (account, ctx) => synmetrixActions(enrollments, account, ctx),
    runAction: (account, form, action, values, ctx) => runSynmetrixAction(enrollments, account, form, action, values, ctx),
  }
}
