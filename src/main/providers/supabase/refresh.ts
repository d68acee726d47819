/**
 * Renewal with a rotating refresh token (POST /token?grant_type=refresh_token). The server revokes
 * the token it is given and returns a new one; presenting a revoked token again ends the whole
 * session (refresh_token_already_used) unless it is the immediate parent of the current token, in
 * which case the server hands the current one back. So: one refresh per token at a time (single
 * flight here, one per account in the core), and the core writes the new token to the keychain
 * before anyone uses the new access token. A crash between the answer and the write is then
 * harmless: the old token is the immediate parent, and the next refresh gets the same child.
 */
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import type { SupabaseSettings } from './config.ts'
import { describeCode, retryAtOf } from './errors.ts'
import { gotrue } from './http.ts'
import { profileOf, sessionOf } from './signed-in.ts'
import type { TokenAnswer } from './signed-in.ts'

const inFlight = new Map<string, Promise<RefreshResult>>()

export function refreshSupabaseSession(settings: SupabaseSettings, session: Session, ctx: ProviderContext): Promise<RefreshResult> {
  const token = session.refreshToken
  if (token === null || token === '') return Promise.reject(new RefreshRejectedError(`This ${settings.host} session has no refresh token. Sign in again.`))
  const key = `${settings.authUrl}\n${token}`
  const running = inFlight.get(key)
  if (running !== undefined) return running
  const started = refresh(settings, token, ctx).finally(() => inFlight.delete(key))
  inFlight.set(key, started)
  return started
}

/** Why the session cannot be renewed, for the account's "needs attention" line. */
export function refusalMessage(code: string, host: string): string {
  const reason = describeCode(code, host) ?? `${host} refused to renew the session.`
  return `${reason} Sign in again.`
}

async function refresh(settings: SupabaseSettings, refreshToken: string, ctx: ProviderContext): Promise<RefreshResult> {
  const host = settings.host
  const answer = await gotrue(settings, 'POST', '/token?grant_type=refresh_token', { body: { refresh_token: refreshToken } })
  if (!answer.ok) {
    const { status, code } = answer.failure
    ctx.logger.warn('supabase.refresh.failed', { host, status, code })
    if (status === 0) throw new TransientError(`Could not reach ${host} to renew the session.`)
    if (status === 429) {
      const retryAt = retryAtOf(answer.failure, ctx.clock.now())
      throw new TransientError(`${host} asks to slow down before renewing the session (too many requests).`, retryAt === null ? {} : { retryAt })
    }
    if (status >= 500 || status === -1) throw new TransientError(`${host} could not renew the session right now (HTTP ${String(status)}).`)
    // 409 conflict: the server gave up waiting for the session's lock (another renewal held it); the token was not spent.
    if (status === 409 || code === 'conflict') throw new TransientError(`${host} is busy renewing this session (another renewal was under way); Latchkey tries again shortly.`)
    throw new RefreshRejectedError(refusalMessage(code, host))
  }
  const body = answer.body as TokenAnswer
  try {
    const next = sessionOf(body, ctx.clock.now())
    return body.user ? { session: next, profile: profileOf(body.user, next.accessToken) } : { session: next }
  } catch {
    // The current token was spent by this request; the next try presents it again (immediate parent).
    throw new TransientError(`${host} answered the renewal with something Latchkey could not use.`)
  }
}
