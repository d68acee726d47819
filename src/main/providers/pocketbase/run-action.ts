/** Runs a button of one of an account's forms (see action-forms.ts for the ids). */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import type { ActionInput } from './action-support.ts'
import { pocketBaseClient } from './client.ts'
import { isSuperusers, readSettings } from './config.ts'
import { impersonate } from './impersonate.ts'
import { confirmVerification, requestVerification, saveProfile } from './profile-actions.ts'
import { changePassword, confirmEmailChange, confirmPasswordReset, requestEmailChange, requestPasswordReset } from './security-actions.ts'

type Handler = (input: ActionInput) => Promise<ActionResult>

/** form id → [its button's id, what it does, whether a superuser account has it]. */
const HANDLERS: Record<string, { action: string; run: Handler; superuser: boolean; others: boolean }> = {
  profile: { action: 'save', run: saveProfile, superuser: true, others: true },
  'change-password': { action: 'change', run: changePassword, superuser: true, others: true },
  'request-password-reset': { action: 'send', run: requestPasswordReset, superuser: true, others: true },
  'confirm-password-reset': { action: 'confirm', run: confirmPasswordReset, superuser: true, others: true },
  'request-verification': { action: 'send', run: requestVerification, superuser: false, others: true },
  'confirm-verification': { action: 'confirm', run: confirmVerification, superuser: false, others: true },
  'request-email-change': { action: 'send', run: requestEmailChange, superuser: false, others: true },
  'confirm-email-change': { action: 'confirm', run: confirmEmailChange, superuser: false, others: true },
  impersonate: { action: 'impersonate', run: impersonate, superuser: true, others: false },
}

export async function runPocketBaseAction(
  account: ProviderAccount,
  form: string,
  action: string,
  values: FormValues,
  ctx: ProviderContext,
): Promise<ActionResult> {
  const settings = readSettings(account.config)
  const handler = Object.hasOwn(HANDLERS, form) ? HANDLERS[form] : undefined
  const offered = handler !== undefined && (isSuperusers(settings) ? handler.superuser : handler.others)
  if (handler === undefined || !offered || handler.action !== action) {
    throw new AppError('UNSUPPORTED', 'This account has no such action.')
  }
  const client = pocketBaseClient(settings, account.session)
  const result = await handler.run({ account, settings, client, values, ctx })
  ctx.logger.info('pocketbase.action.done', { host: settings.host, form, sessionEnded: result.sessionEnded !== undefined, signedInAgain: result.session !== undefined })
  return result
}
