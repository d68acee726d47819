/** The Synmetrix backend: hasura-backend-plus v2.7.1 over a small fetch client (no SDK fits a multi-account main process). */
import type { Provider } from '../../core/provider.ts'
import { synmetrixActions } from './actions.ts'
import { parseSynmetrixConfig, readSettings, synmetrixBackendName } from './config.ts'
import { SYNMETRIX_DESCRIPTOR } from './descriptor.ts'
import { Enrollments } from './enrollments.ts'
import { synmetrixHandOut } from './hand-out.ts'
import { refreshSynmetrixSession } from './refresh.ts'
import { runSynmetrixAction } from './run-action.ts'
import { beginSynmetrixSignIn } from './sign-in.ts'
import { signOutSynmetrixSession } from './sign-out.ts'

export function createSynmetrixProvider(): Provider {
  const enrollments = new Enrollments()
  return {
    kind: 'synmetrix',
    descriptor: SYNMETRIX_DESCRIPTOR,
    parseConfig: parseSynmetrixConfig,
    backendName: synmetrixBackendName,
    beginSignIn: (config, ctx) => beginSynmetrixSignIn(readSettings(config), ctx),
    refresh: (config, session, ctx) => refreshSynmetrixSession(readSettings(config), session, ctx),
    signOut: (config, session, ctx) => signOutSynmetrixSession(readSettings(config), session, ctx),
    actions: (account, ctx) => synmetrixActions(enrollments, account, ctx),
    runAction: (account, form, action, values, ctx) => runSynmetrixAction(enrollments, account, form, action, values, ctx),
    handOut: synmetrixHandOut,
  }
}
