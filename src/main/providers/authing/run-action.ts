/** Runs a button of one of an Authing account's forms (see action-forms.ts for the ids). */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import type { Profile } from '../../core/profile.ts'
import { clockTime } from '../../core/iso-time.ts'
import { actionHandler, type ActionTable } from '../action-table.ts'
import { newPassword, required, text } from '../form-values.ts'
import { PROFILE_FIELDS, UDV_TYPES } from './action-forms.ts'
import type { UdvItem, UdvType } from './action-forms.ts'
import { currentUser } from './actions.ts'
import { AuthingClient } from './client.ts'
import type { Answer } from './client.ts'
import type { CodeSender } from './codes.ts'
import { readSettings } from './config.ts'
import type { AuthingSettings } from './config.ts'
import { BIND_EMAIL, BIND_PHONE, REMOVE_UDV, RESET_PASSWORD, SET_UDV, UNBIND_EMAIL, UNBIND_PHONE, UPDATE_EMAIL, UPDATE_PASSWORD, UPDATE_PHONE, UPDATE_USER } from './documents.ts'
import { authingError, isDeadToken } from './errors.ts'
import type { FieldNames } from './errors.ts'
import { accountKind, normalised } from './identifiers.ts'
import { profileFrom } from './user.ts'
import type { AuthingUser } from './user.ts'

interface Input {
  account: ProviderAccount
  settings: AuthingSettings
  client: AuthingClient
  values: FormValues
  ctx: ProviderContext
  codes: CodeSender
}

const HANDLERS: ActionTable<(input: Input) => Promise<ActionResult>> = {
  profile: { save: saveProfile },
  'custom-data': { set: setUdv, remove: removeUdv },
  'change-password': { change: changePassword },
  'reset-password': { send: sendResetCode, reset: resetPassword },
  'bind-phone': { send: (input) => sendCode(input, 'phone', 'bind'), bind: (input) => bind(input, 'phone') },
  'bind-email': { send: (input) => sendCode(input, 'email', 'bind'), bind: (input) => bind(input, 'email') },
  'update-phone': { send: (input) => sendCode(input, 'phone', 'change'), 'send-old': (input) => sendOldCode(input, 'phone'), update: (input) => update(input, 'phone') },
  'update-email': { send: (input) => sendCode(input, 'email', 'change'), 'send-old': (input) => sendOldCode(input, 'email'), update: (input) => update(input, 'email') },
  'unbind-phone': { unbind: (input) => unbind(input, 'phone') },
  'unbind-email': { unbind: (input) => unbind(input, 'email') },
  authenticator: { confirm: confirmAuthenticator, disable: disableAuthenticator },
}

export async function runAuthingAction(account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext, codes: CodeSender): Promise<ActionResult> {
  const handler = actionHandler(HANDLERS, form, action)
  const settings = readSettings(account.config)
  const client = new AuthingClient(settings, account.session.accessToken)
  const result = await handler({ account, settings, client, values, ctx, codes })
  ctx.logger.info('authing.action.done', { host: settings.host, form, action, sessionEnded: result.sessionEnded !== undefined })
  return result
}

/** The answer, or the session-ended result when the token died, or an error on the form's field. */
function settle<T>(input: Input, answer: Answer<T>, fields: FieldNames): { ok: true; value: T } | { ok: false; result: ActionResult } {
  if (answer.ok) return answer
  if (isDeadToken(answer.failure)) {
    return { ok: false, result: { message: 'Nothing was changed: the sign-in is no longer valid.', sessionEnded: `${input.settings.host} says this sign-in is no longer valid (signed out elsewhere, or expired). Sign in again.` } }
  }
  throw authingError(answer.failure, input.settings.host, fields)
}

async function encrypt(input: Input, password: string): Promise<string> {
  const encrypted = await input.client.encrypt(password)
  if (!encrypted.ok) throw authingError(encrypted.failure, input.settings.host)
  return encrypted.value
}

async function saveProfile(input: Input): Promise<ActionResult> {
  const before = await currentUser(input.client, input.settings)
  const changes: Record<string, string> = {}
  for (const [key] of PROFILE_FIELDS) {
    const value = text(input.values, key)
    const was = typeof before[key] === 'string' ? before[key] : ''
    if (key in input.values && value !== was && !(key === 'gender' && value === 'U' && was === '')) changes[key] = value
  }
  if (changes.birthdate !== undefined && changes.birthdate !== '' && Number.isNaN(Date.parse(changes.birthdate))) {
    throw new AppError('VALIDATION', 'Enter the birthdate as YYYY-MM-DD.', { field: 'birthdate' })
  }
  if (Object.keys(changes).length === 0) return { message: 'Nothing to save: the profile is unchanged.' }
  const answer = settle(input, await input.client.graphql<AuthingUser>(UPDATE_USER, { input: changes }, 'updateUser'), { username: 'username' })
  if (!answer.ok) return answer.result
  return { message: `Saved ${String(Object.keys(changes).length)} field${Object.keys(changes).length === 1 ? '' : 's'}.`, profile: profileFrom(answer.value) }
}

/** A typed value as the JSON text setUdv stores, checked here before anything is sent. */
export function udvJson(raw: string, type: UdvType): string {
  const problem = (message: string): AppError => new AppError('VALIDATION', message, { field: 'value' })
  switch (type) {
    case 'STRING':
      return JSON.stringify(raw)
    case 'NUMBER': {
      const number = Number(raw)
      if (raw === '' || !Number.isFinite(number)) throw problem('Enter a number.')
      return JSON.stringify(number)
    }
    case 'BOOLEAN':
      if (raw !== 'true' && raw !== 'false') throw problem('Enter true or false.')
      return raw
    case 'DATETIME':
      if (Number.isNaN(Date.parse(raw))) throw problem('Enter a date such as 2024-05-01 or 2024-05-01T09:30:00Z.')
      return JSON.stringify(new Date(raw).toISOString())
    case 'OBJECT':
      try {
        const parsed: unknown = JSON.parse(raw)
        if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object')
        return JSON.stringify(parsed)
      } catch {
        throw problem('Enter a JSON object such as {"team": "blue"}.')
      }
  }
}

async function setUdv(input: Input): Promise<ActionResult> {
  const key = required(input.values, 'key', 'Enter the field key.')
  const type = text(input.values, 'type')
  if (!(UDV_TYPES as readonly string[]).includes(type)) throw new AppError('VALIDATION', 'Choose the value’s type.', { field: 'type' })
  const value = udvJson(text(input.values, 'value'), type as UdvType)
  const answer = settle(input, await input.client.graphql<UdvItem[]>(SET_UDV, { targetType: 'USER', targetId: input.account.identity.subject, key, value }, 'setUdv'), { value: 'value' })
  if (!answer.ok) return answer.result
  return { message: `Set ${key}.`, profile: await freshProfile(input) }
}

async function removeUdv(input: Input): Promise<ActionResult> {
  const key = required(input.values, 'key', 'Enter the field key.')
  const answer = settle(input, await input.client.graphql<UdvItem[]>(REMOVE_UDV, { targetType: 'USER', targetId: input.account.identity.subject, key }, 'removeUdv'), { value: 'key' })
  if (!answer.ok) return answer.result
  return { message: `Removed ${key}.`, profile: await freshProfile(input) }
}

async function freshProfile(input: Input): Promise<Profile> {
  return profileFrom(await currentUser(input.client, input.settings))
}

async function changePassword(input: Input): Promise<ActionResult> {
  const old = text(input.values, 'oldPassword', { trim: false })
  const password = newPassword(input.values)
  const variables: Record<string, string> = { newPassword: await encrypt(input, password) }
  if (old !== '') variables.oldPassword = await encrypt(input, old)
  const answer = settle(input, await input.client.graphql(UPDATE_PASSWORD, variables, 'updatePassword'), { oldPassword: 'oldPassword', newPassword: 'password' })
  if (!answer.ok) return answer.result
  return { message: 'Password changed.' }
}

async function sendResetCode(input: Input): Promise<ActionResult> {
  const target = required(input.values, 'target', 'Choose where the code goes.')
  const kind = accountKind(target)
  const channel = kind === 'phone' ? 'phone' : 'email'
  return sent(input, await input.codes.send(input.client, input.settings, input.ctx.clock, { channel, address: normalised(target, kind) }, 'reset', { account: 'target' }), target)
}

async function resetPassword(input: Input): Promise<ActionResult> {
  const target = required(input.values, 'target', 'Choose where the code went.')
  const code = required(input.values, 'code', 'Enter the code.')
  const password = newPassword(input.values)
  const kind = accountKind(target)
  const encrypted = await encrypt(input, password)
  const variables = kind === 'phone' ? { phone: normalised(target, kind), code, newPassword: encrypted } : { email: normalised(target, kind), code, newPassword: encrypted }
  const answer = settle(input, await new AuthingClient(input.settings).graphql(RESET_PASSWORD, variables, 'resetPassword'), { code: 'code', newPassword: 'password' })
  if (!answer.ok) return answer.result
  return { message: 'Password reset. Use the new one next time you sign in.' }
}

async function sendCode(input: Input, channel: 'phone' | 'email', purpose: 'bind' | 'change'): Promise<ActionResult> {
  const raw = required(input.values, channel, channel === 'phone' ? 'Enter the phone number.' : 'Enter the email address.')
  const address = normalised(raw, channel)
  return sent(input, await input.codes.send(input.client, input.settings, input.ctx.clock, { channel, address }, purpose, { account: channel, phone: channel, email: channel }), address)
}

async function sendOldCode(input: Input, channel: 'phone' | 'email'): Promise<ActionResult> {
  const user = await currentUser(input.client, input.settings)
  const address = user[channel]
  if (typeof address !== 'string' || address === '') throw new AppError('VALIDATION', `This account has no ${channel === 'phone' ? 'phone number' : 'email address'} yet.`)
  return sent(input, await input.codes.send(input.client, input.settings, input.ctx.clock, { channel, address }, channel === 'phone' ? 'unbind' : 'change', { code: 'oldCode' }), address)
}

function sent(input: Input, timing: { resendAt: number }, address: string): Promise<ActionResult> {
  input.ctx.logger.info('authing.action.code-sent', { host: input.settings.host })
  return Promise.resolve({ message: `Code sent to ${address}. A new one can be sent after ${clockTime(timing.resendAt)}.` })
}

async function bind(input: Input, channel: 'phone' | 'email'): Promise<ActionResult> {
  const address = normalised(required(input.values, channel, channel === 'phone' ? 'Enter the phone number.' : 'Enter the email address.'), channel)
  const code = required(input.values, 'code', 'Enter the code.')
  const answer =
    channel === 'phone'
      ? await input.client.graphql<AuthingUser>(BIND_PHONE, { phone: address, phoneCode: code }, 'bindPhone')
      : await input.client.graphql<AuthingUser>(BIND_EMAIL, { email: address, emailCode: code }, 'bindEmail')
  const settled = settle(input, answer, { code: 'code', phone: channel, email: channel })
  if (!settled.ok) return settled.result
  return { message: `${address} is now on your account.`, profile: profileFrom(settled.value) }
}

async function update(input: Input, channel: 'phone' | 'email'): Promise<ActionResult> {
  const address = normalised(required(input.values, channel, channel === 'phone' ? 'Enter the new phone number.' : 'Enter the new email address.'), channel)
  const code = required(input.values, 'code', 'Enter the code sent to the new one.')
  const oldCode = text(input.values, 'oldCode')
  const user = await currentUser(input.client, input.settings)
  const old = typeof user[channel] === 'string' ? user[channel] : ''
  const variables: Record<string, string> =
    channel === 'phone' ? { phone: address, phoneCode: code } : { email: address, emailCode: code }
  if (oldCode !== '') Object.assign(variables, channel === 'phone' ? { oldPhone: old, oldPhoneCode: oldCode } : { oldEmail: old, oldEmailCode: oldCode })
  const answer =
    channel === 'phone'
      ? await input.client.graphql<AuthingUser>(UPDATE_PHONE, variables, 'updatePhone')
      : await input.client.graphql<AuthingUser>(UPDATE_EMAIL, variables, 'updateEmail')
  const settled = settle(input, answer, { code: 'code', oldCode: 'oldCode', phone: channel, email: channel, value: 'oldCode' })
  if (!settled.ok) return settled.result
  return { message: `Your ${channel === 'phone' ? 'phone number' : 'email address'} is now ${address}.`, profile: profileFrom(settled.value) }
}

async function unbind(input: Input, channel: 'phone' | 'email'): Promise<ActionResult> {
  const answer = channel === 'phone' ? await input.client.graphql<AuthingUser>(UNBIND_PHONE, {}, 'unbindPhone') : await input.client.graphql<AuthingUser>(UNBIND_EMAIL, {}, 'unbindEmail')
  const settled = settle(input, answer, {})
  if (!settled.ok) return settled.result
  return { message: `The ${channel === 'phone' ? 'phone number' : 'email address'} was removed from your account.`, profile: profileFrom(settled.value) }
}

async function confirmAuthenticator(input: Input): Promise<ActionResult> {
  const code = required(input.values, 'code', 'Enter the code your authenticator app shows.')
  const answer = settle(input, await input.client.rest('POST', '/api/v2/mfa/totp/associate/confirm', { authenticator_type: 'totp', totp: code, source: 'SELF' }), { code: 'code' })
  if (!answer.ok) return answer.result
  return { message: 'The authenticator step is on: sign-ins now ask for its code. Keep the recovery code shown with it for when the app is lost.' }
}

async function disableAuthenticator(input: Input): Promise<ActionResult> {
  const answer = settle(input, await input.client.rest('DELETE', '/api/v2/mfa/totp/associate'), {})
  if (!answer.ok) return answer.result
  return { message: 'The authenticator step is off.' }
}
