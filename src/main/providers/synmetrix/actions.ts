/** Which forms a signed-in Synmetrix account gets: the role for other tools and the security actions. */
import type { AccountAction } from '../../../shared/contract.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { roleAction, securityActions } from './action-forms.ts'
import { readSettings } from './config.ts'
import type { Enrollments } from './enrollments.ts'
import { enrollmentKey } from './enrollments.ts'
import { chosenRole, hasuraClaims } from './session.ts'

export async function synmetrixActions(enrollments: Enrollments, account: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]> {
  const settings = readSettings(account.config)
  const claims = hasuraClaims(account.session.accessToken, settings.claimsNamespace)
  const key = enrollmentKey(settings.host, account.identity.subject)
  const qr = enrollments.has(key, ctx.clock.now()) ? await enrollments.field(key, settings.host) : null
  const actions: AccountAction[] = []
  if (claims.allowedRoles.length > 0) actions.push(roleAction(claims.allowedRoles, chosenRole(settings, claims)))
  actions.push(...securityActions({ email: account.identity.email, enrollment: qr === null ? null : { qr } }))
  return actions
}
