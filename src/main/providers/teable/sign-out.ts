/**
 * Sign-out destroys the session on the server (`POST /api/auth/signout`) and reports honestly what
 * happened. A personal access token is not a session: it stays valid until it expires or is
 * deleted, and the message says so.
 */
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { isTokenSession } from './credentials.ts'

export async function signOutTeableSession(settings: TeableSettings, session: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const host = settings.host
  const token =
    settings.token === null && !isTokenSession(session)
      ? ''
      : ` The access token is not a session: it keeps working on ${host} until it expires or is deleted there (remove the account and tick “delete the tokens Latchkey created”, or delete it on Teable’s Access tokens page).`
  if (isTokenSession(session)) {
    return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this account’s sign-in.${token}` }
  }
  const result = await teableCall(settings, { method: 'POST', path: '/auth/signout', credential: { cookie: session.accessToken } })
  ctx.logger.info('teable.signout', { host, status: result.ok ? result.answer.status : 'unreachable' })
  if (result.ok && result.answer.status >= 200 && result.answer.status < 300) {
    return { revokedOnServer: true, endSessionUrl: null, message: `${host} ended this session.${token}` }
  }
  if (result.ok && result.answer.status === 401) {
    return { revokedOnServer: false, endSessionUrl: null, message: `The session had already ended on ${host}; Latchkey forgot it.${token}` }
  }
  const why = result.ok ? `${host} did not end the session (it answered with an error)` : `Could not reach ${host}`
  return {
    revokedOnServer: false,
    endSessionUrl: null,
    message: `${why}, so it may stay usable there until it has not been used for ${String(Math.round(settings.sessionMs / 86_400_000))} days. Latchkey forgot it.${token}`,
  }
}
