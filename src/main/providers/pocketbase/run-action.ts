/** Runs a button of one of an account's forms (see action-forms.ts for the ids). */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import type { ActionInput } from './action-support.ts'
import { pocketBaseClient } from './client.ts'
import { isSuperusers, readSettings } from './config.ts'
import { impersonate } from './impersonate.ts'
import { confirmVerification, requestVerification, saveProfile } from './profile-actions.ts'
import { changePassword, changeSuperuserEmail, confirmEmailChange, confirmPasswordReset, requestEmailChange, requestPasswordReset } from './security-actions.ts'

type Handler = (input: ActionInput) => Promise<ActionResult>

/** Which accounts have a form: every account, superuser accounts only, or all but superusers. */
type Audience = 'all' | 'superusers' | 'others'

/** form id → its button's id, what the button does, and which accounts have the form. */
const HANDLERS: Record<string, { action: string; run: Handler; audience: Audience }> = {
  profile: { action: 'save', run: saveProfile, audience: 'all' },
  'change-password': { action: 'change', run: changePassword, audience: 'all' },
  'request-password-reset': { action: 'send', run: requestPasswordReset, audience: 'all' },
  'confirm-password-reset': { action: 'confirm', run: confirmPasswordReset, audience: 'all' },
  // PocketBase refuses these for superusers: always verified, and they change their email directly.
  'request-verification': { action: 'send', run: requestVerification, audience: 'others' },
  'confirm-verification': { action: 'confirm', run: confirmVerification, audience: 'others' },
  'request-email-change': { action: 'send', run: requestEmailChange, audience: 'others' },
  'confirm-email-change': { action: 'confirm', run: confirmEmailChange, audience: 'others' },
  'change-email': { action: 'change', run: changeSuperuserEmail, audience: 'superusers' },
  impersonate: { action: 'impersonate', run: impersonate, audience: 'superusers' },
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
  const offered = handler !== undefined && (handler.audience === 'all' || handler.audience === (isSuperusers(settings) ? 'superusers' : 'others'))
  if (handler === undefined || !offered || handler.action !== action) {
    throw new AppError('UNSUPPORTED', 'This account has no such action.')
  }
  const client = pocketBaseClient(settings, account.session)
  const result = await handler.run({ account, settings, client, values, ctx })
  ctx.logger.info('pocketbase.action.done', { host: settings.host, form, sessionEnded: result.sessionEnded !== undefined, signedInAgain: result.session !== undefined })
  return result
}
