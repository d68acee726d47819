/**
 * Sign-out is local only: PocketBase and BosBase have no logout or revocation endpoint, and a token
 * dies only when the record's tokenKey changes (a password or email change) or when it expires.
 * The message says so plainly, with the expiry in UTC, and that a refreshable token's copy can be
 * renewed by whoever holds it.
 */
import type { ProviderContext, SignOutResult } from '../../core/provider.ts'
import { utcMinute } from '../../core/iso-time.ts'
import type { Session } from '../../core/sessions/session.ts'
import { tokenClaims } from './client.ts'
import type { PocketBaseSettings } from './config.ts'

/** Beyond this, an expiry is not a date worth reading out: BosBase's tokens last about 100 years. */
const DECADES_MS = 10 * 365 * 24 * 3600 * 1000

export function signOutPocketBaseSession(settings: PocketBaseSettings, session: Session, ctx: ProviderContext): Promise<SignOutResult> {
  const host = settings.host
  const now = ctx.clock.now()
  const expiresAt = session.expiresAt ?? tokenClaims(session.accessToken).expiresAt
  const cannot = `Latchkey forgot this session, but ${host} cannot revoke a token`
  let message: string
  if (expiresAt === null) {
    message = `${cannot}: it stays valid until the account's password or email is changed.`
  } else if (expiresAt <= now) {
    message = `Latchkey forgot this session. Its token had already expired on ${host}.`
  } else if (expiresAt - now > DECADES_MS) {
    message =
      `${cannot}: this server issues tokens that last about 100 years (until ${utcMinute(expiresAt)}), ` +
      'so it stays valid until the account’s password or email is changed.'
  } else {
    message = `${cannot}: it stays valid until ${utcMinute(expiresAt)}, or until the account’s password or email is changed.`
    // A refreshable token buys a new one: a copy outlives this sign-out for as long as someone renews it.
    if (session.isStatic !== true) message += ' Anyone holding a copy of the token can also renew it until it expires, and so keep the session going.'
  }
  ctx.logger.info('pocketbase.signout.local', { host })
  return Promise.resolve({ revokedOnServer: false, cannotRevoke: true, endSessionUrl: null, message })
}
