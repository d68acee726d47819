/**
 * The forms of a signed-in Teable account, read fresh from the server: the profile (with the
 * current avatar), the password and email changes, and the access tokens with their expiry. A
 * token-only account has none: those routes take only the session.
 */
import type { AccountAction, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ActionResult, ProviderAccount, ProviderContext } from '../../core/provider.ts'
import { actionHandler, type ActionTable } from '../action-table.ts'
import { picturePreview } from '../picture.ts'
import { AVATAR_MAX_BYTES, profileAction, securityActions, tokenActions } from './action-forms.ts'
import type { ActionInput } from './account-call.ts'
import { actionInput, sessionCall } from './account-call.ts'
import { checkToken, isTokenSession, listTokens, tokenId } from './credentials.ts'
import { sessionEndedMessage, unreachable } from './errors.ts'
import { saveProfile } from './profile-actions.ts'
import type { PendingEmails } from './security-actions.ts'
import { addPassword, changePassword, confirmEmail, confirmReset, requestReset, sendEmailCode } from './security-actions.ts'
import { createToken, deleteToken, refreshToken, useToken } from './token-actions.ts'
import { userFrom } from './user.ts'

export function teableActions(pending: PendingEmails) {
  const handlers: ActionTable<(input: ActionInput) => Promise<ActionResult>> = {
    profile: { save: saveProfile },
    'change-password': { change: changePassword },
    'add-password': { add: addPassword },
    'change-email': { send: (input) => sendEmailCode(input, pending) },
    'confirm-email': { confirm: (input) => confirmEmail(input, pending) },
    'request-reset': { send: requestReset },
    'confirm-reset': { reset: confirmReset },
    'create-token': { create: createToken },
    'paste-token': { use: useToken },
    tokens: { refresh: refreshToken, delete: deleteToken },
  }

  return {
    async list(account: ProviderAccount, ctx: ProviderContext): Promise<AccountAction[]> {
      if (isTokenSession(account.session)) return []
      const input = actionInput(account, {}, ctx)
      const me = await sessionCall(input, { method: 'GET', path: '/auth/user/me' })
      if (!me.ok) throw unreachable(input.settings)
      const user = me.answer.status === 200 ? userFrom(me.answer.body) : null
      if (user === null) throw new AppError('REFRESH_REJECTED', sessionEndedMessage(input.settings))
      const [tokens, spaces, preview] = await Promise.all([listTokens(input.settings, input.cookie), spaceList(input), user.avatar ? picturePreview(user.avatar, AVATAR_MAX_BYTES) : Promise.resolve(null)])
      const token = input.settings.token
      const held = token === null ? null : { info: tokens?.find((item) => item.id === tokenId(token)) ?? null, state: await checkToken(input.settings, token) }
      const change = pending.get(user.id)
      const pendingEmail = change && change.expiresAt > ctx.clock.now() ? change.email : null
      return [profileAction(user, preview), ...securityActions(user, pendingEmail), ...tokenActions(tokens ?? [], spaces, held)]
    },

    async run(account: ProviderAccount, form: string, action: string, values: FormValues, ctx: ProviderContext): Promise<ActionResult> {
      const run = actionHandler(handlers, form, action)
      const input = actionInput(account, values, ctx)
      const result = await run(input)
      ctx.logger.info('teable.action.done', { host: input.settings.host, form, action, sessionEnded: result.sessionEnded !== undefined, signedInAgain: result.session !== undefined })
      return result
    },
  }
}

async function spaceList(input: ActionInput): Promise<{ id: string; name: string }[]> {
  const result = await sessionCall(input, { method: 'GET', path: '/space' })
  if (!result.ok || result.answer.status !== 200 || !Array.isArray(result.answer.body)) return []
  return (result.answer.body as unknown[]).flatMap((item) => {
    const space = item as { id?: unknown; name?: unknown }
    return typeof space.id === 'string' && typeof space.name === 'string' ? [{ id: space.id, name: space.name }] : []
  })
}
