/**
 * Keep-alive. Teable has no refresh call: its session slides on every authenticated request, so
 * the scheduler "touches" it (`GET /api/auth/user/me`) well before the lifetime lapses. A dead
 * session answers 401 on older servers and 200 with the anonymous user on newer ones: both end it.
 * A token-only account is checked with `GET /api/auth/user`. The profile that comes back says
 * whether the account's access token still works (without touching the session).
 */
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { cookieSession, credentialView, isTokenSession } from './credentials.ts'
import { refreshFailure, sessionEndedMessage } from './errors.ts'
import { userFrom } from './user.ts'

export async function refreshTeableSession(settings: TeableSettings, session: Session, ctx: ProviderContext): Promise<RefreshResult> {
  if (isTokenSession(session)) {
    const result = await teableCall(settings, { method: 'GET', path: '/auth/user', credential: { bearer: session.accessToken } })
    const user = result.ok && result.answer.status === 200 ? userFrom(result.answer.body) : null
    if (user) return { session, ...(await credentialView({ ...settings, token: session.accessToken }, user, null, ctx)) }
    throw refreshFailure(settings, result, ctx.clock, `${settings.host} no longer accepts this access token (it expired or was deleted). Paste or create a new one.`)
  }
  const result = await teableCall(settings, { method: 'GET', path: '/auth/user/me', credential: { cookie: session.accessToken } })
  const ended = sessionEndedMessage(settings)
  if (!result.ok || result.answer.status !== 200) throw refreshFailure(settings, result, ctx.clock, ended)
  const user = userFrom(result.answer.body)
  if (user === null) throw refreshFailure(settings, { ...result, answer: { ...result.answer, status: 401 } }, ctx.clock, ended)
  // A rolling server may send a new cookie; otherwise the same one lives on, renewed.
  const cookie = result.answer.cookie !== null && result.answer.cookie !== '' ? result.answer.cookie : session.accessToken
  return { session: cookieSession(cookie, settings, ctx.clock.now()), ...(await credentialView(settings, user, cookie, ctx)) }
}
