/**
 * Which forms a signed-in Authing account gets, from the user as the server has them now (the
 * GraphQL `user` query with the account's token), their user-defined values and whether an
 * authenticator is set up. Enrolment starts here: /api/v2/mfa/totp/associate gives a fresh secret
 * (pending until confirmed), drawn as a QR code in the main process.
 */
import type { AccountAction } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import { qrCodeField } from '../../core/forms/qr-field.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { authenticatorAction, contactActions, passwordAction, profileAction, resetAction, udvAction } from './action-forms.ts'
import type { UdvItem } from './action-forms.ts'
import { AuthingClient } from './client.ts'
import type { AuthingFailure } from './client.ts'
import { readSettings } from './config.ts'
import type { AuthingSettings } from './config.ts'
import { CURRENT_USER, UDV } from './documents.ts'
import { authingError, isDeadToken } from './errors.ts'
import { isOidcSession } from './oidc.ts'
import type { AuthingUser } from './user.ts'

export async function authingActions(account: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]> {
  const settings = readSettings(account.config)
  if (isOidcSession(account.session)) return []
  const client = new AuthingClient(settings, account.session.accessToken)
  const user = await currentUser(client, settings)
  const udv = await client.graphql<UdvItem[]>(UDV, { targetType: 'USER', targetId: user.id }, 'udv')
  if (!udv.ok) throw listingError(udv.failure, settings)
  const actions = [profileAction(user), udvAction(udv.value), passwordAction(), resetAction(user), ...contactActions(user, 'phone'), ...contactActions(user, 'email')]
  const enrolment = await authenticator(client, settings, ctx)
  if (enrolment !== null) actions.push(authenticatorAction(enrolment))
  return actions
}

export async function currentUser(client: AuthingClient, settings: AuthingSettings): Promise<AuthingUser> {
  const answer = await client.graphql<AuthingUser | null>(CURRENT_USER, {}, 'user')
  if (!answer.ok) throw listingError(answer.failure, settings)
  if (answer.value === null) throw new AppError('INTERNAL', `${settings.host} did not return this account.`)
  return answer.value
}

async function authenticator(client: AuthingClient, settings: AuthingSettings, ctx: ProviderContext): Promise<Parameters<typeof authenticatorAction>[0] | null> {
  const listed = await client.rest<{ enable?: boolean; authenticatorType?: string }[]>('GET', '/api/v2/mfa/authenticator?type=totp&source=SELF')
  if (!listed.ok) {
    ctx.logger.warn('authing.actions.mfa-unavailable', { host: settings.host })
    return null
  }
  if (listed.value.some((item) => item.enable === true)) return { enrolled: true }
  const associated = await client.rest<{ secret?: string; qrcode_uri?: string; recovery_code?: string }>('POST', '/api/v2/mfa/totp/associate', { authenticator_type: 'totp', source: 'SELF' })
  if (!associated.ok || typeof associated.value.secret !== 'string' || typeof associated.value.qrcode_uri !== 'string') {
    ctx.logger.warn('authing.actions.mfa-unavailable', { host: settings.host })
    return null
  }
  // The server gives the recovery code only here (Guard shows it for saving before confirming).
  const recovery = associated.value.recovery_code
  const help =
    typeof recovery === 'string' && recovery !== ''
      ? `Scan the code with your authenticator app, or type the secret into it. Write down the recovery code ${recovery}: it signs you in once if you lose the app.`
      : undefined
  return { enrolled: false, qr: await qrCodeField({ key: 'secret', uri: associated.value.qrcode_uri, secret: associated.value.secret, ...(help === undefined ? {} : { help }) }) }
}

function listingError(failure: AuthingFailure, settings: AuthingSettings): AppError {
  if (isDeadToken(failure)) return new AppError('REFRESH_REJECTED', `${settings.host} says this sign-in is no longer valid. Sign in again.`)
  return authingError(failure, settings.host)
}
