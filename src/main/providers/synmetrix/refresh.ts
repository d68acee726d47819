/**
 * GET /auth/token/refresh?refresh_token=<uuid>: HBP deletes the old token and issues a new one, with
 * no reuse detection. Single-flight per account and persisting the new token before using it are the
 * core's (SessionKeeper + scheduler); a lost answer cannot be recovered on HBP: the old token is gone.
 * 401 = the token is dead (expired, rotated elsewhere, account deactivated). A 400 with no message is
 * a failed database query: for a token that is a UUID that is the server's trouble, not the token's.
 * The long Synmetrix JWT (7.5 days) is still renewed before it expires, by the same scheduler.
 */
import { createHash } from 'node:crypto'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import { minuteAtOrAfter } from '../../core/retry-at.ts'
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import type { Session } from '../../core/sessions/session.ts'
import { hbp } from './client.ts'
import type { SynmetrixSettings } from './config.ts'
import { retryAt } from './errors.ts'
import { isRefreshToken, NotASession, signedInFrom } from './session.ts'

/**
 * Tokens (as SHA-256 digests, never the tokens) whose last renewal may have reached the server but got
 * no answer: HBP deletes the old token before it answers, so a later 401 for one of them most likely
 * means that lost answer, not a sign-out elsewhere. In memory only, and bounded.
 */
const unanswered = new Set<string>()
const UNANSWERED_KEPT = 1000

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function refreshSynmetrixSession(settings: SynmetrixSettings, session: Session, ctx: ProviderContext): Promise<RefreshResult> {
  const { host } = settings
  const token = session.refreshToken
  if (token === null || !isRefreshToken(token)) throw new RefreshRejectedError(`This ${host} session has no refresh token. Sign in again.`)
  const answer = await hbp(settings, { method: 'GET', path: '/token/refresh', query: { refresh_token: token }, usesUp: true })
  const now = ctx.clock.now()
  // Digested only when some renewal went unanswered: not on every renewal.
  const lostBefore = unanswered.size > 0 && unanswered.delete(digest(token))
  if (!answer.ok) {
    if (answer.kind === 'unreachable') {
      if (answer.maybeSent) {
        if (unanswered.size >= UNANSWERED_KEPT) unanswered.delete(unanswered.values().next().value ?? '')
        unanswered.add(digest(token))
      }
      throw new TransientError(`Could not reach ${host} to renew the session.`)
    }
    ctx.logger.warn('synmetrix.refresh.failed', { host, status: answer.status })
    if (answer.status === 401 && lostBefore) {
      throw new RefreshRejectedError(
        `${host} no longer accepts this session. Latchkey's last attempt to renew it got no answer (the connection broke), and the server had most likely renewed it then, replacing the token Latchkey holds. Sign in again.`,
      )
    }
    if (answer.status === 401) {
      throw new RefreshRejectedError(`${host} no longer accepts this session: it was signed out elsewhere, expired, or the account was deactivated. Sign in again.`)
    }
    if (answer.status === 429) {
      const at = retryAt(answer.headers, now)
      throw new TransientError(`${host} asks Latchkey to slow down; it will try again after ${clockTime(minuteAtOrAfter(at))}.`, { retryAt: at })
    }
    if (answer.status >= 500 || (answer.status === 400 && answer.message === '')) {
      throw new TransientError(`${host} could not renew the session right now (HTTP ${String(answer.status)}).`)
    }
    throw new RefreshRejectedError(`${host} refused to renew the session (${answer.message || `HTTP ${String(answer.status)}`}). Sign in again.`)
  }
  try {
    const signedIn = signedInFrom(answer.body, settings, now)
    return { session: signedIn.session, profile: signedIn.profile }
  } catch (error) {
    if (!(error instanceof NotASession)) throw error
    // The old token may be gone already (HBP rotated it); nothing better than trying again is possible.
    throw new TransientError(`${host} answered the renewal with something Latchkey could not use.`)
  }
}
