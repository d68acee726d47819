/**
 * Sign-out ends this device's session on the server (POST /logout?scope=local; the server's own
 * default would be global). "Everywhere" (global) and "my other sessions" (others) are account
 * actions with their own confirmation. The access token already handed out is a JWT the server
 * cannot recall: it stays valid until it expires, and the message says until when.
 */
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import type { SupabaseSettings } from './config.ts'
import { gotrue } from './http.ts'
import { accessClaims } from './signed-in.ts'

export type LogoutScope = 'local' | 'global' | 'others'

/** "2030-01-06 00:00 UTC". */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function tokenStillValid(session: Session, now: number): string {
  const expiresAt = session.expiresAt ?? accessClaims(session.accessToken).expiresAt
  if (expiresAt === null || expiresAt <= now) return ''
  return ` The access token already issued cannot be recalled: it stays valid until ${utc(expiresAt)}.`
}

/** POST /logout with this scope: 'revoked', 'already-ended', or 'unreachable' / 'refused'. */
export async function logout(settings: SupabaseSettings, session: Session, scope: LogoutScope): Promise<'revoked' | 'already-ended' | 'unreachable' | 'refused'> {
  const answer = await gotrue(settings, 'POST', `/logout?scope=${scope}`, { bearer: session.accessToken })
  if (answer.ok) return 'revoked'
  const { status, code } = answer.failure
  if (status === 0) return 'unreachable'
  if (code === 'session_not_found' || code === 'user_not_found' || status === 404) return 'already-ended'
  return 'refused'
}

export async function signOutSupabaseSession(settings: SupabaseSettings, session: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const host = settings.host
  const outcome = await logout(settings, session, 'local')
  ctx.logger.info('supabase.signout', { host, scope: 'local', outcome })
  const still = tokenStillValid(session, ctx.clock.now())
  switch (outcome) {
    case 'revoked':
      return { revokedOnServer: true, endSessionUrl: null, message: `Signed out of ${host} on this device; your other sessions stay signed in.${still}` }
    case 'already-ended':
      return { revokedOnServer: true, endSessionUrl: null, message: `This session had already ended on ${host}. Latchkey forgot it.` }
    case 'unreachable':
      return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this session, but could not reach ${host} to end it there: its refresh token stays usable on the server.${still}` }
    case 'refused':
      return { revokedOnServer: false, endSessionUrl: null, message: `Latchkey forgot this session, but ${host} did not end it (its access token may have expired): its refresh token stays usable on the server.` }
  }
}
