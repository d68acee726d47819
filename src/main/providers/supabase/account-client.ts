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
 * The core renews an access token about to expire before it lists forms or runs an action. One the
 * server still finds expired (clocks apart, a slow answer) is refused with bad_jwt, which is not the
 * end of the session: it is renewed once and tried again, so the refresh token decides. `renewed`
 * is that session, for the core to keep; if it is dropped, the core's next renewal presents the old
 * token, the immediate parent, and gets the same one back.
 */
async function renewedAccount(settings: SupabaseSettings, account: ProviderAccount, ctx: ProviderContext): Promise<{ account: ProviderAccount; renewed: Session }> {
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
  let account = given
  let renewed: Session | null = null
  let answer = await accountClient(settings, account).auth.getUser()
  if (answer.error !== null && failureOf(answer.error).code === 'bad_jwt' && account.session.refreshToken !== null) {
    ;({ account, renewed } = await renewedAccount(settings, account, ctx))
    answer = await accountClient(settings, account).auth.getUser()
  }
  if (answer.error !== null) {
    const failure = failureOf(answer.error)
    if (ENDED.has(failure.code)) throw new AppError('REFRESH_REJECTED', refusalMessage(failure.code, settings.host))
    throw authError(answer.error, settings.host, ctx.clock.now())
  }
  const { user } = answer.data
  return { account, settings, client: accountClient(settings, account, user), user, ctx, renewed }
}

export function sessionEnded(error: unknown): boolean {
  return ENDED.has(failureOf(error).code)
}
