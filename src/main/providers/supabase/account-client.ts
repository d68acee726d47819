/** auth-js for one account action: a client holding the account's session, and its fresh user. */
import type { User } from '@supabase/auth-js'
import { AppError } from '../../core/errors.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { supabaseClient } from './client.ts'
import type { SupabaseClient } from './client.ts'
import { readSettings } from './config.ts'
import type { SupabaseSettings } from './config.ts'
import { authError, failureOf } from './errors.ts'
import { refusalMessage } from './refresh.ts'

export interface AccountContext {
  account: ProviderAccount
  settings: SupabaseSettings
  client: SupabaseClient
  user: User
  ctx: ProviderContext
}

/** Codes that mean the session is gone on the server: the core marks the account. */
const ENDED = new Set(['session_not_found', 'user_not_found', 'bad_jwt', 'user_banned', 'session_expired'])

export function accountClient(settings: SupabaseSettings, account: ProviderAccount, user?: User): SupabaseClient {
  return supabaseClient(settings, { key: `${settings.authUrl}#${account.identity.subject}`, session: account.session, ...(user === undefined ? {} : { user }) })
}

export async function accountContext(account: ProviderAccount, ctx: ProviderContext): Promise<AccountContext> {
  const settings = readSettings(account.config)
  const probe = accountClient(settings, account)
  const { data, error } = await probe.auth.getUser()
  if (error !== null) {
    const failure = failureOf(error)
    if (ENDED.has(failure.code)) throw new AppError('REFRESH_REJECTED', refusalMessage(failure.code, settings.host))
    throw authError(error, settings.host, ctx.clock.now())
  }
  return { account, settings, client: accountClient(settings, account, data.user), user: data.user, ctx }
}

export function sessionEnded(error: unknown): boolean {
  return ENDED.has(failureOf(error).code)
}
