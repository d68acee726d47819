/**
 * Sign-out ends this device's session on the server (POST /logout?scope=local; the server's own
 * default would be global). "Everywhere" (global) and "my other sessions" (others) are account
 * actions with their own confirmation. The access token already handed out is a JWT the server
 * cannot recall: it stays valid until it expires, and the message says until when.
 */
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { utcMinute } from '../../core/iso-time.ts'
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import type { SupabaseSettings } from './config.ts'
import { gotrue } from './http.ts'
import { refreshSupabaseSession } from './refresh.ts'
import { accessClaims } from './signed-in.ts'

export type LogoutScope = 'local' | 'global' | 'others'


export function tokenStillValid(session: Session, now: number): string {
  const expiresAt = session.expiresAt ?? accessClaims(session.accessToken).expiresAt
  if (expiresAt === null || expiresAt <= now) return ''
  return ` The access token already issued cannot be recalled: it stays valid until ${utcMinute(expiresAt)}.`
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

/**
 * /logout takes the access token only (requireAuthentication): once it has expired the server
 * answers 403 bad_jwt and ends nothing. The refresh token still works then, so the session is
 * renewed first and the fresh token ends it.
 */
async function logoutRenewing(settings: SupabaseSettings, session: Session, ctx: ProviderContext): ReturnType<typeof logout> {
  const expiresAt = session.expiresAt ?? accessClaims(session.accessToken).expiresAt
  const expired = expiresAt !== null && expiresAt <= ctx.clock.now()
  const first = expired ? 'refused' : await logout(settings, session, 'local')
  if (first !== 'refused' || session.refreshToken === null || session.refreshToken === '') return first
  try {
    const renewed = (await refreshSupabaseSession(settings, session, ctx)).session
    return await logout(settings, renewed, 'local')
  } catch (error) {
    if (error instanceof RefreshRejectedError) return 'already-ended'
    return error instanceof TransientError ? 'unreachable' : first
  }
}

export async function signOutSupabaseSession(settings: SupabaseSettings, given: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const host = settings.host
  const outcome = await logoutRenewing(settings, given, ctx)
  ctx.logger.info('supabase.signout', { host, scope: 'local', outcome })
  // What was handed out is the given token; one renewed here to sign out went nowhere.
  const still = tokenStillValid(given, ctx.clock.now())
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
