/**
 * Signing out a v2 session: GET /api/v2/logout?app_id=… with the token, which clears the user's
 * session in the app and marks this token invalid. Never throws: a server that cannot be reached
 * or refuses is reported honestly, with how long the token stays valid.
 */
import { utcMinute } from '../../core/iso-time.ts'
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { AuthingClient } from './client.ts'
import type { AuthingSettings } from './config.ts'
import { isDeadToken } from './errors.ts'

export async function signOutV2Session(settings: AuthingSettings, session: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const { host } = settings
  const client = new AuthingClient(settings, session.accessToken)
  const answer = await client.rest('GET', `/api/v2/logout?app_id=${encodeURIComponent(settings.appId)}`)
  if (answer.ok) {
    ctx.logger.info('authing.signout.revoked', { host })
    return { revokedOnServer: true, endSessionUrl: null, message: `${host} ended the session: this token no longer works.` }
  }
  const until = session.expiresAt === null ? 'until it expires' : `until ${utcMinute(session.expiresAt)}`
  if (answer.failure.kind === 'unreachable') {
    ctx.logger.warn('authing.signout.unreachable', { host })
    return { revokedOnServer: false, endSessionUrl: null, message: `Could not reach ${host}, so the session was not ended there; the token stays valid ${until}.` }
  }
  if (isDeadToken(answer.failure)) {
    return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this session. ${host} had already ended it.` }
  }
  ctx.logger.warn('authing.signout.refused', { host, code: answer.failure.kind === 'business' ? answer.failure.code : answer.failure.status })
  return { revokedOnServer: false, endSessionUrl: null, message: `${host} refused to end the session; the token stays valid ${until}.` }
}
