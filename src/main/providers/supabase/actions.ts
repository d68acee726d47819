/** Which forms a signed-in Supabase account gets, from its user as the server has it now. */
import type { Factor, UserIdentity } from '@supabase/auth-js'
import type { AccountAction } from '../../../shared/contract.ts'
import { qrCodeField } from '../../core/forms/qr-field.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { accountContext } from './account-client.ts'
import { emailActions, identitiesAction, linkActions, mfaActions, passwordAction, phoneActions, profileAction, signOutActions, upgradeAction } from './action-forms.ts'
import { emailChangeHalves, identityLinks, pendingEnrollment, phoneEnrollments } from './enrollments.ts'
import { secondFactors } from './second-step.ts'
import { loadServerSettings, providerDisplayName } from './server-settings.ts'
import { accessClaims, assuranceOf } from './signed-in.ts'
import { tokenStillValid } from './sign-out.ts'

export function enrollmentKey(authUrl: string, subject: string): string {
  return `${authUrl}#${subject}`
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/**
 * "Email (ann@example.test)", "Phone (+15550100)": the phone identity of an account that signed up
 * with its number holds no number (only a changed number is written into it), so the account's is shown.
 */
function identityLabel(identity: UserIdentity, phone: string): string {
  const number = text(identity.identity_data?.phone) || phone
  const detail = identity.provider === 'phone' ? (number === '' ? '' : `+${number}`) : text(identity.identity_data?.email)
  return `${providerDisplayName(identity.provider)}${detail === '' ? '' : ` (${detail})`}`
}

export async function supabaseActions(given: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]> {
  const { user, settings, account } = await accountContext(given, ctx)
  const data = user.user_metadata
  const actions: AccountAction[] = [profileAction({ name: text(data.full_name) || text(data.name) || text(data.display_name), avatarUrl: text(data.avatar_url) })]
  if (user.is_anonymous === true) actions.push(upgradeAction(), ...(text(user.new_email) === '' ? [] : emailActions('', text(user.new_email)).slice(1)))
  const identities = user.identities ?? []
  const hasPassword = identities.some((identity: UserIdentity) => identity.provider === 'email' || identity.provider === 'phone')
  if (user.is_anonymous !== true || text(user.email) !== '') actions.push(passwordAction(hasPassword, text(user.email) === '' && text(user.phone) !== '' ? 'phone' : 'email'))
  if (user.is_anonymous !== true) {
    const half = emailChangeHalves.get(enrollmentKey(settings.authUrl, user.id), ctx.clock.now())
    actions.push(...emailActions(text(user.email), text(user.new_email) || null, half !== null && half.address === text(user.new_email) ? half.confirmed : null))
    actions.push(...phoneActions(text(user.phone), text(user.new_phone) || null))
  }
  // The server refuses every factor call to a session whose token says anonymous (requireNotAnonymous).
  if (!accessClaims(account.session.accessToken).isAnonymous) {
    const enrolling = pendingEnrollment(enrollmentKey(settings.authUrl, user.id), ctx.clock.now())
    const named = new Map(secondFactors(user.factors ?? []).map((factor) => [factor.id, factor.name]))
    const verified = (user.factors ?? []).filter((factor: Factor) => factor.status === 'verified').map((factor, index) => ({ id: factor.id, name: named.get(factor.id) ?? (factor.friendly_name || `Second factor ${String(index + 1)}`) }))
    const phoneEnrolling = phoneEnrollments.get(enrollmentKey(settings.authUrl, user.id), ctx.clock.now())
    actions.push(
      ...mfaActions({
        verified,
        enrolling: enrolling === null ? null : { qr: await qrCodeField({ key: 'qr', uri: enrolling.uri, secret: enrolling.secret }) },
        phoneEnrolling: phoneEnrolling === null ? null : phoneEnrolling.phone,
        aal: assuranceOf(account.session.accessToken),
      }),
    )
  }
  if (identities.length > 0) {
    actions.push(identitiesAction(identities.map((identity) => ({ id: identity.identity_id, label: identityLabel(identity, text(user.phone)) }))))
  }
  const linking = identityLinks.get(enrollmentKey(settings.authUrl, user.id), ctx.clock.now())
  const server = linking === null ? await loadServerSettings(settings, ctx.clock.now()).catch(() => null) : null
  const linked = new Set(identities.map((identity: UserIdentity) => identity.provider))
  const linkable = (server?.oauth ?? []).filter((provider) => !linked.has(provider)).map((provider) => ({ id: provider, name: providerDisplayName(provider) }))
  actions.push(...linkActions({ providers: linkable, linking: linking === null ? null : providerDisplayName(linking.provider) }))
  actions.push(...signOutActions(settings.host, tokenStillValid(account.session, ctx.clock.now())))
  return actions
}
