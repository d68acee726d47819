import type { Latchkey } from '../../core/app/latchkey.ts'
import type { Handlers } from '../router.ts'

type AuthChannels = 'auth:begin' | 'auth:reauth' | 'auth:complete' | 'auth:continue' | 'auth:cancel' | 'auth:openAgain' | 'auth:signOut'

export function authHandlers(app: Latchkey): Pick<Handlers, AuthChannels> {
  return {
    'auth:begin': ({ kind, config, label }) => app.beginSignIn(kind, config, label),
    'auth:reauth': ({ id }) => app.reauth(id),
    'auth:complete': ({ attemptId }) => app.completeSignIn(attemptId),
    'auth:continue': ({ attemptId, action, values }) => app.continueSignIn(attemptId, action, values),
    'auth:cancel': ({ attemptId }) => app.cancelSignIn(attemptId),
    'auth:openAgain': ({ attemptId }) => app.openSignInAgain(attemptId),
    'auth:signOut': ({ id }) => app.signOut(id),
  }
}
