/**
 * Sign-out of this device: POST /auth/logout?refresh_token=<ours> {all: false} deletes our refresh
 * token. HBP answers 204 whatever happened, and cannot revoke the JWTs it issued: the message says
 * until when the last one stays valid (7.5 days after issue on Synmetrix).
 */
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import { utcMinute } from '../../core/iso-time.ts'
import type { Session } from '../../core/sessions/session.ts'
import { hbp } from './client.ts'
import type { SynmetrixSettings } from './config.ts'
import { isRefreshToken } from './session.ts'

export async function signOutSynmetrixSession(settings: SynmetrixSettings, session: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const { host } = settings
  const jwtNote = accessTokenNote(session, ctx.clock.now())
  const token = session.refreshToken
  if (token === null || !isRefreshToken(token)) {
    return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this session; it had no refresh token to delete on ${host}.${jwtNote}` }
  }
  const answer = await hbp(settings, { method: 'POST', path: '/logout', query: { refresh_token: token }, json: { all: false } })
  if (answer.ok) {
    ctx.logger.info('synmetrix.signout.done', { host })
    return { revokedOnServer: true, endSessionUrl: null, message: `Signed out of this device: ${host} deleted this device’s refresh token.${jwtNote}` }
  }
  ctx.logger.warn('synmetrix.signout.failed', { host, reason: answer.kind === 'http' ? answer.status : answer.kind })
  const why = answer.kind === 'unreachable' ? `${host} could not be reached` : `${host} refused (HTTP ${String(answer.status)})`
  return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this session, but ${why}, so its refresh token may still work.${jwtNote}` }
}

/** " The access token already issued stays valid until 2030-01-06 00:00 UTC: HBP cannot revoke it." */
export function accessTokenNote(session: Session, now: number): string {
  if (session.expiresAt === null) return ' The access token already issued stays valid until it expires: HBP cannot revoke it.'
  if (session.expiresAt <= now) return ''
  return ` The access token already issued stays valid until ${utcMinute(session.expiresAt)}: HBP cannot revoke it.`
}

