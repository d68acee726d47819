/**
 * What other tools get from a Teable account (`latchkey token`): its personal access token, the
 * credential meant for the data API, with its expiry when Latchkey knows it (it created, refreshed
 * or found the token in the server's list). The cookie session is never handed out.
 */
import { AppError } from '../../core/errors.ts'
import type { HandOut, HandOutOptions, ProviderAccount } from '../../core/provider.ts'
import { readTeableSettings } from './settings.ts'
import { isTokenSession } from './session-kind.ts'
import { tokenSecrets } from './token-secrets.ts'

export function teableHandOut(account: ProviderAccount, options: HandOutOptions): HandOut {
  if (options.idToken) throw new AppError('UNSUPPORTED', 'Teable has no ID token; this account hands out its personal access token.')
  if (options.role !== null) throw new AppError('UNSUPPORTED', 'Teable has no roles to choose from (--role).')
  const token = readTeableSettings(account.config).token
  if (token === null) {
    throw new AppError('UNSUPPORTED', `“${account.label}” holds no personal access token. Create or paste one in Latchkey under this account's Access tokens.`)
  }
  const known = Date.parse(tokenSecrets(account.config).expiresAt ?? '')
  const listed = isTokenSession(account.session) && account.session.accessToken === token ? account.session.expiresAt : null
  return { token, expiresAt: listed ?? (Number.isNaN(known) ? null : known), kind: 'personal access token' }
}
