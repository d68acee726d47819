/** Runs a button of one of a Synmetrix account's forms (see action-forms.ts for the ids). */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { readSettings } from './config.ts'
import type { Enrollments } from './enrollments.ts'
import type { ActionInput } from './account-actions.ts'
import { changeEmail, changePassword, chooseRole, confirmEmailChange, confirmPasswordReset, requestPasswordReset } from './account-actions.ts'
import { disableMfa, enableMfa, generateMfa } from './mfa-actions.ts'
import { revokeRefreshTokens, signOutEverywhere } from './session-actions.ts'

type Handler = (input: ActionInput) => Promise<ActionResult>

const HANDLERS: Record<string, { action: string; run: Handler }> = {
  role: { action: 'save', run: chooseRole },
  'change-password': { action: 'change', run: changePassword },
  'change-email': { action: 'change', run: changeEmail },
  'confirm-email-change': { action: 'confirm', run: confirmEmailChange },
  'request-password-reset': { action: 'send', run: requestPasswordReset },
  'confirm-password-reset': { action: 'confirm', run: confirmPasswordReset },
  'mfa-generate': { action: 'generate', run: generateMfa },
  'mfa-enable': { action: 'enable', run: enableMfa },
  'mfa-disable': { action: 'disable', run: disableMfa },
  'sign-out-everywhere': { action: 'sign-out', run: signOutEverywhere },
  'revoke-refresh-tokens': { action: 'revoke', run: revokeRefreshTokens },
}

/** The button `action` of the form `form` (an AccountAction id), with the account's pending authenticator secrets. */
export async function runSynmetrixAction(enrollments: Enrollments, account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext): Promise<ActionResult> {
  const handler = Object.hasOwn(HANDLERS, form) ? HANDLERS[form] : undefined
  if (handler === undefined || handler.action !== action) throw new AppError('UNSUPPORTED', 'This account has no such action.')
  const settings = readSettings(account.config)
  const result = await handler.run({ account, settings, values, ctx, enrollments })
  ctx.logger.info('synmetrix.action.done', { host: settings.host, form, sessionEnded: result.sessionEnded !== undefined })
  return result
}
