/** Runs a button of one of a Synmetrix account's forms (see action-forms.ts for the ids). */
import type { FormValues } from '../../../shared/contract.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { actionHandler, type ActionTable } from '../action-table.ts'
import { readSettings } from './config.ts'
import type { Enrollments } from './enrollments.ts'
import type { ActionInput } from './account-actions.ts'
import { changeEmail, changePassword, chooseRole, confirmEmailChange, confirmPasswordReset, requestPasswordReset } from './account-actions.ts'
import { disableMfa, enableMfa, generateMfa } from './mfa-actions.ts'
import { revokeRefreshTokens, signOutEverywhere } from './session-actions.ts'

const HANDLERS: ActionTable<(input: ActionInput) => Promise<ActionResult>> = {
  role: { save: chooseRole },
  'change-password': { change: changePassword },
  'change-email': { change: changeEmail },
  'confirm-email-change': { confirm: confirmEmailChange },
  'request-password-reset': { send: requestPasswordReset },
  'confirm-password-reset': { confirm: confirmPasswordReset },
  'mfa-generate': { generate: generateMfa },
  'mfa-enable': { enable: enableMfa },
  'mfa-disable': { disable: disableMfa },
  'sign-out-everywhere': { 'sign-out': signOutEverywhere },
  'revoke-refresh-tokens': { revoke: revokeRefreshTokens },
}

/** The button `action` of the form `form` (an AccountAction id), with the account's pending authenticator secrets. */
export async function runSynmetrixAction(enrollments: Enrollments, account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext): Promise<ActionResult> {
  const run = actionHandler(HANDLERS, form, action)
  const settings = readSettings(account.config)
  const result = await run({ account, settings, values, ctx, enrollments })
  ctx.logger.info('synmetrix.action.done', { host: settings.host, form, sessionEnded: result.sessionEnded !== undefined })
  return result
}
