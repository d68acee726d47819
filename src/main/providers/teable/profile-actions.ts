/** Saving the profile: name, avatar (type and 3 MB checked before sending), email notifications. */
import { AppError } from '../../core/errors.ts'
import type { ActionResult } from '../../core/provider.ts'
import { checkedPicture } from '../picture.ts'
import { AVATAR_MAX_BYTES } from './action-forms.ts'
import type { ActionInput } from './account-call.ts'
import { endedOr, sessionCall, text } from './account-call.ts'
import { credentialView } from './credentials.ts'
import { identityOf, userFrom } from './user.ts'

export async function saveProfile(input: ActionInput): Promise<ActionResult> {
  const name = text(input.values, 'name').trim()
  if (name === '') throw new AppError('VALIDATION', 'Enter a name.', { field: 'name' })
  // Checked before anything is sent: Teable answers an oversized picture with a bare 500.
  const picture = checkedPicture(input.values.avatar, { maxBytes: AVATAR_MAX_BYTES, field: 'avatar' })
  const named = await sessionCall(input, { method: 'PATCH', path: '/user/name', json: { name } })
  if (!named.ok || named.answer.status !== 200) return endedOr(input, named, 'saving the name')
  const notify = text(input.values, 'notifications') === 'true'
  const notified = await sessionCall(input, { method: 'PATCH', path: '/user/notify-meta', json: { email: notify } })
  if (!notified.ok || notified.answer.status !== 200) return endedOr(input, notified, 'saving the notification setting')
  if (picture !== null) {
    const form = new FormData()
    form.append('file', picture)
    const uploaded = await sessionCall(input, { method: 'PATCH', path: '/user/avatar', form })
    if (!uploaded.ok || uploaded.answer.status !== 200) return endedOr(input, uploaded, 'saving the picture', 'VALIDATION', 'avatar')
  }
  const me = await sessionCall(input, { method: 'GET', path: '/auth/user/me' })
  const user = me.ok && me.answer.status === 200 ? userFrom(me.answer.body) : null
  if (user === null) return { message: 'Profile saved.' }
  return { message: 'Profile saved.', identity: identityOf(user), ...(await credentialView(input.settings, user, input.cookie, input.ctx)) }
}
