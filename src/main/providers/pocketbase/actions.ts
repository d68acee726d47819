/**
 * Which forms a signed-in account gets, from its record as the server has it now: the profile
 * (with the current avatar), the password / email / verification flows, and, for a superuser,
 * impersonation with the first page of the `users` collection to pick from.
 */
import type { RecordModel } from 'pocketbase'
import type { AccountAction } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { impersonateAction, profileAction, securityActions } from './action-forms.ts'
import { avatarPreview } from './avatar.ts'
import { pocketBaseClient } from './client.ts'
import type { PocketBaseClient } from './client.ts'
import { DEFAULT_COLLECTION, isSuperusers, readSettings } from './config.ts'
import type { PocketBaseSettings } from './config.ts'
import { liveRecord } from './action-support.ts'
import { attempt, describeHttp, unreachable } from './errors.ts'
import { editableFields, stringField } from './record.ts'
import { isDeadTokenStatus, sessionEndedMessage } from './session-ended.ts'

/** How many users the impersonation list offers (one page); others are typed by id. */
const IMPERSONATION_CHOICES = 200

export async function pocketBaseActions(account: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]> {
  const settings = readSettings(account.config)
  const client = pocketBaseClient(settings, account.session)
  const record = await ownRecord(client, settings, account.identity.subject)
  const superuser = isSuperusers(settings)
  const avatar = 'avatar' in record ? { preview: await avatarPreview(client, record) } : null
  const actions = [
    profileAction(editableFields(record), avatar),
    ...securityActions({ email: stringField(record, 'email') ?? account.identity.email, verified: record.verified === true, superuser }),
  ]
  if (superuser) actions.push(impersonateAction(await userChoices(client, settings, ctx)))
  return actions
}

/**
 * The account's own record, fresh from the server. A dead token reads as "not found" (guest), and
 * so does a live one where the collection's view rule does not let users see their own record:
 * then the record comes from auth-refresh, which answers whatever that rule says.
 */
export async function ownRecord(client: PocketBaseClient, settings: PocketBaseSettings, id: string): Promise<RecordModel> {
  const answer = await attempt(() => client.records.getOne(id))
  if (answer.ok) return answer.value
  const failure = answer.failure
  if (failure.kind === 'unreachable') throw unreachable(settings.host)
  if (failure.kind === 'http' && isDeadTokenStatus(failure.status)) {
    const record = failure.status === 401 ? null : await liveRecord(client, settings)
    if (record !== null && record.id === id) return record
    throw new AppError('REFRESH_REJECTED', sessionEndedMessage(settings.host))
  }
  throw new AppError('INTERNAL', `${settings.host} did not return this account’s record (${describeHttp(failure)}).`)
}

async function userChoices(client: PocketBaseClient, settings: PocketBaseSettings, ctx: ProviderContext): Promise<{ value: string; label: string }[]> {
  const answer = await attempt(() => client.pb.collection(DEFAULT_COLLECTION).getList(1, IMPERSONATION_CHOICES, { skipTotal: true }))
  if (!answer.ok) {
    // No `users` collection, or it cannot be listed: the record id can still be typed.
    ctx.logger.warn('pocketbase.actions.users-unavailable', { host: settings.host })
    return []
  }
  return answer.value.items
    .map((user) => ({ value: user.id, label: `${stringField(user, 'email') ?? stringField(user, 'username') ?? '(no email)'} (${user.id})` }))
    .sort((a, b) => a.label.localeCompare(b.label))
}
