/** Saving the profile (plain fields and the avatar) and verifying the email address. */
import type { RecordModel } from 'pocketbase'
import { AppError, isAppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import type { ActionInput } from './action-support.ts'
import { actionError, ended, ownRecordEnded, required, text } from './action-support.ts'
import { ownRecord } from './actions.ts'
import { avatarUpload } from './avatar.ts'
import { tokenClaim } from './client.ts'
import { attempt } from './errors.ts'
import { editableFields, identityFrom, profileFrom, stringField } from './record.ts'

export async function saveProfile(input: ActionInput): Promise<ActionResult> {
  const { settings, client, values, ctx } = input
  // The record as it is now says which fields exist and their types; nothing else is sent.
  const current = await ownRecordUnlessEnded(input)
  if (current === null) return ended(settings, 'The profile was not saved.')
  const body: Record<string, string | number | boolean | File> = {}
  for (const [key, value] of editableFields(current)) {
    if (!(key in values)) continue
    body[key] = typedValue(key, value, text(values, key, { trim: false }))
  }
  const avatar = 'avatar' in current ? avatarUpload(values.avatar) : null
  if (avatar !== null) body.avatar = avatar
  if (Object.keys(body).length === 0) return { message: 'Nothing to save.' }
  // With a File in it the SDK sends multipart/form-data, otherwise JSON.
  const answer = await attempt(() => client.records.update(current.id, body))
  if (!answer.ok) {
    if (await ownRecordEnded(client, settings, answer.failure)) return ended(settings, 'The profile was not saved.')
    throw actionError(answer.failure, settings, ctx.clock.now(), Object.fromEntries(Object.keys(body).map((key) => [key, key])))
  }
  ctx.logger.info('pocketbase.action.profile-saved', { host: settings.host, avatar: avatar !== null })
  return { message: 'Profile saved.', profile: profileFrom(answer.value), identity: identityFrom(answer.value) }
}

export async function requestVerification(input: ActionInput): Promise<ActionResult> {
  const { settings, client, values, ctx } = input
  const email = required(values, 'email', 'Enter the email address to verify.')
  const answer = await attempt(() => client.records.requestVerification(email))
  if (!answer.ok) throw actionError(answer.failure, settings, ctx.clock.now(), { email: 'email' })
  return { message: `If ${email} belongs to an unverified account on ${settings.host}, a verification email is on its way.` }
}

export async function confirmVerification(input: ActionInput): Promise<ActionResult> {
  const { settings, client, values, ctx } = input
  const token = required(values, 'token', 'Paste the token from the verification email.')
  const answer = await attempt(() => client.records.confirmVerification(token))
  if (!answer.ok) throw actionError(answer.failure, settings, ctx.clock.now(), { token: 'token' })
  // Verifying can rotate the token (PocketBase, for records with OAuth2 links): read the record again.
  const record = await ownRecordUnlessEnded(input)
  if (record === null) return ended(settings, 'Email verified.')
  const email = stringField(record, 'email')
  const changed = { profile: profileFrom(record), identity: identityFrom(record) }
  // A token mailed to another address verifies that account: PocketBase answers 204 all the same.
  if (record.verified !== true) {
    return { message: `That token verified ${tokenClaim(token, 'email') ?? 'another account'}, not this account, which is still unverified.`, ...changed }
  }
  return { message: email === null ? 'Email verified.' : `${email} is verified.`, ...changed }
}

/** The account's record, or null when its token died elsewhere (the action then reports the ended session). */
async function ownRecordUnlessEnded(input: ActionInput): Promise<RecordModel | null> {
  try {
    return await ownRecord(input.client, input.settings, input.account.identity.subject)
  } catch (error) {
    if (isAppError(error, 'REFRESH_REJECTED')) return null
    throw error
  }
}

function typedValue(key: string, current: string | number | boolean, typed: string): string | number | boolean {
  if (typeof current === 'boolean') return typed === 'true'
  if (typeof current === 'number') {
    const number = Number(typed.trim())
    if (typed.trim() === '' || !Number.isFinite(number)) throw new AppError('VALIDATION', 'Enter a number.', { field: key })
    return number
  }
  return typed
}
