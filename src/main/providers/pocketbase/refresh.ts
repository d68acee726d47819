/**
 * `auth-refresh`: PocketBase exchanges a still-valid refreshable token for a new one. A static
 * token (BosBase, impersonation) comes back unchanged; the call then only proves it still works,
 * which is how the core checks static tokens at startup and on demand (PocketBase 0.23 to 0.28
 * answer such a token with 403 "not refreshable" once it passed their check: as good a proof).
 * PocketBase answers a dead token (tokenKey rotated by a password or email change, record deleted,
 * expired) with 401, a deleted collection with 404, and with 403 a record the collection's auth rule
 * no longer lets in, a superuser outside the IP allow-list or a token of another collection
 * (forbidden.ts says which).
 * A 401 for a token already past its expiry is said to be just that, not a change made elsewhere,
 * and a 404 for the collection itself ("Missing or invalid collection context.") names the collection.
 */
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import type { ProviderContext, RefreshResult } from '../../core/provider.ts'
import type { Session, SignedIn } from '../../core/sessions/session.ts'
import { pocketBaseClient } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, describeHttp, isMissingCollection } from './errors.ts'
import { refusedAsNotRefreshable, renewalForbiddenMessage } from './forbidden.ts'
import { signedInFrom } from './record.ts'
import { isDeadTokenStatus, sessionEndedMessage, sessionExpiredMessage } from './session-ended.ts'

export async function refreshPocketBaseSession(settings: PocketBaseSettings, session: Session, ctx: ProviderContext): Promise<RefreshResult> {
  const host = settings.host
  const { records } = pocketBaseClient(settings, session)
  const answer = await attempt(() => records.authRefresh())
  if (!answer.ok) {
    const failure = answer.failure
    if (failure.kind === 'unreachable') throw new TransientError(`Could not reach ${host} to renew the session.`)
    // A PocketBase before 0.29 checked a static token and then refused to renew it: it still works.
    if (failure.kind === 'http' && refusedAsNotRefreshable(failure)) return { session: { ...session, isStatic: true } }
    const status = failure.kind === 'http' ? failure.status : 401
    ctx.logger.warn('pocketbase.refresh.failed', { host, status })
    if (failure.kind === 'http' && status === 403) throw new RefreshRejectedError(renewalForbiddenMessage(failure, host, settings.collection))
    if (isMissingCollection(failure)) {
      throw new RefreshRejectedError(
        `${host} no longer has the “${settings.collection}” auth collection this account signs in to: it was removed or renamed there. Sign in again once the server has it back.`,
      )
    }
    const expiresAt = session.expiresAt
    if (status === 401 && expiresAt !== null && expiresAt <= ctx.clock.now()) throw new RefreshRejectedError(sessionExpiredMessage(host, expiresAt))
    if (isDeadTokenStatus(status)) throw new RefreshRejectedError(sessionEndedMessage(host))
    if (status >= 500 || status === 429) throw new TransientError(`${host} could not renew the session right now (${describeHttp(failure)}).`)
    throw new RefreshRejectedError(`${host} refused to renew the session (${describeHttp(failure)}). Sign in again.`)
  }
  const { token, record } = answer.value
  let signedIn: SignedIn
  try {
    signedIn = signedInFrom(token, record, ctx.clock.now(), host)
  } catch {
    // Not a PocketBase answer (a proxy's page?). The current token is untouched: try again later.
    throw new TransientError(`${host} answered the renewal with something Latchkey could not use.`)
  }
  if (token === session.accessToken) {
    // A static token: the same one back, still valid. Keep when it was obtained.
    return { session: { ...session, isStatic: signedIn.session.isStatic }, profile: signedIn.profile }
  }
  return { session: signedIn.session, profile: signedIn.profile }
}
