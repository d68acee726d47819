/**
 * What other tools get from a Synmetrix account (`latchkey token`): the access token and the Hasura
 * role to use it with: the one asked for (`--role`) among those the token allows, else the one the
 * person chose for this account, else the token's default role.
 */
import { AppError } from '../../core/errors.ts'
import type { HandOut, HandOutOptions, ProviderAccount } from '../../core/provider.ts'
import { readSettings } from './settings.ts'
import { chosenRole, hasuraClaims } from './session.ts'

export function synmetrixHandOut(account: ProviderAccount, options: HandOutOptions): HandOut {
  if (options.idToken) throw new AppError('UNSUPPORTED', 'Synmetrix has no ID token; it hands out its access token with a role.')
  const settings = readSettings(account.config)
  const claims = hasuraClaims(account.session.accessToken, settings.claimsNamespace)
  if (options.role !== null && !claims.allowedRoles.includes(options.role)) {
    throw new AppError('UNSUPPORTED', `This account's token does not allow the role “${options.role}” (allowed: ${claims.allowedRoles.join(', ') || 'none'}).`)
  }
  const role = options.role ?? chosenRole(settings, claims)
  return { token: account.session.accessToken, expiresAt: account.session.expiresAt, kind: 'access', ...(role === '' ? {} : { role }) }
}
