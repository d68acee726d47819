/** auth-js for one account action: a client holding the account's session, and its fresh user. */
import type { User } from '@supabase/auth-js'
import { AppError, RefreshRejectedError } from '../../core/errors.ts'
import type { Session } from '../../core/sessions/session.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { supabaseClient } from './client.ts'
import type { SupabaseClient } from './client.ts'
import { readSettings } from './config.ts'
import type { SupabaseSettings } from './config.ts'
import { authError, failureOf } from './errors.ts'
import { refreshSupabaseSession, refusalMessage } from './refresh.ts'
import { accessClaims } from './signed-in.ts'

export interface AccountContext {
  account: ProviderAccount
  settings: SupabaseSettings
  client: SupabaseClient
  user: User
  ctx: ProviderContext
  /** The session renewed because its access token had expired, or null. */
  renewed: Session | null
}

/** Codes that mean the session is gone on the server: the core marks the account. */
const ENDED = new Set(['session_not_found', 'user_not_found', 'bad_jwt', 'user_banned', 'session_expired'])

export function accountClient(settings: SupabaseSettings, account: ProviderAccount, user?: User): SupabaseClient {
  return supabaseClient(settings, { key: `${settings.authUrl}#${account.identity.subject}`, session: account.session, ...(user === undefined ? {} : { user }) })
}

/**
 * An access token that has expired (a computer waking up before its renewal ran) is refused with
 * bad_jwt, which is not the end of the session: it is renewed first. `renewed` is that session,
 * for the core to keep; if it is dropped, the core's next renewal presents the old token, the
 * immediate parent, and gets the same one back.
 */
async function current(settings: SupabaseSettings, account: ProviderAccount, ctx: ProviderContext): Promise<{ account: ProviderAccount; renewed: Session | null }> {
  const expiresAt = account.session.expiresAt ?? accessClaims(account.session.accessToken).expiresAt
  if (expiresAt === null || expiresAt > ctx.clock.now() || account.session.refreshToken === null) return { account, renewed: null }
  try {
    const { session } = await refreshSupabaseSession(settings, account.session, ctx)
    return { account: { ...account, session }, renewed: session }
  } catch (error) {
    if (error instanceof RefreshRejectedError) throw new AppError('REFRESH_REJECTED', error.message)
    throw error
  }
}

export async function accountContext(given: ProviderAccount, ctx: ProviderContext): Promise<AccountContext> {
  const settings = readSettings(given.config)
  const { account, renewed } = await current(settings, given, ctx)
  const probe = accountClient(settings, account)
  const { data, error } = await probe.auth.getUser()
  if (error !== null) {
    const failure = failureOf(error)
    if (ENDED.has(failure.code)) throw new AppError('REFRESH_REJECTED', refusalMessage(failure.code, settings.host))
    throw authError(error, settings.host, ctx.clock.now())
  }
  return { account, settings, client: accountClient(settings, account, data.user), user: data.user, ctx, renewed }
}

export function sessionEnded(error: unknown): boolean {
  return ENDED.has(failureOf(error).code)
}
