/** The forms of a signed-in Teable account: profile, email, password, and its access tokens. */
import type { AccountAction, FormFieldSpec } from '../../../shared/contract.ts'
import { PICTURE_TYPES } from '../picture.ts'
import type { TokenInfo } from './credentials.ts'
import { SESSION_CAN, TOKEN_CAN, utc } from './credentials.ts'
import { choiceField } from '../choice-field.ts'
import { newPasswordFields } from './sign-in-forms.ts'
import type { TeableUser } from './user.ts'

/** Teable refuses (with a 500) an avatar over 3 MB: checked before sending. */
export const AVATAR_MAX_BYTES = 3 * 1024 * 1024

/** The scopes offered when creating a token (Teable's `<resource>|<action>` names). */
export const TOKEN_SCOPES: readonly { scope: string; label: string }[] = [
  { scope: 'space|read', label: 'Read spaces' },
  { scope: 'base|read', label: 'Read bases' },
  { scope: 'table|read', label: 'Read tables' },
  { scope: 'record|read', label: 'Read records' },
  { scope: 'record|create', label: 'Create records' },
  { scope: 'record|update', label: 'Update records' },
  { scope: 'record|delete', label: 'Delete records' },
  { scope: 'user|email_read', label: 'Read your email address' },
]

export const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
]

export function scopeKey(scope: string): string {
  return `scope:${scope}`
}

export function profileAction(user: TeableUser, preview: string | null): AccountAction {
  return {
    id: 'profile',
    group: 'profile',
    form: {
      id: 'profile',
      title: 'Edit profile',
      fields: [
        { key: 'name', label: 'Name', kind: 'text', required: true, value: user.name },
        { key: 'avatar', label: 'Avatar', kind: 'image', required: false, accept: PICTURE_TYPES, maxBytes: AVATAR_MAX_BYTES, preview, help: 'PNG, JPEG, GIF or WebP, at most 3 MB.' },
        { key: 'notifications', label: 'Email notifications', kind: 'checkbox', required: false, value: user.notifyMeta?.email === true ? 'true' : 'false' },
      ],
      actions: [{ id: 'save', label: 'Save profile' }],
    },
  }
}

const AGAIN = 'Teable then ends every session of this account; Latchkey signs in again at once with the password you type here.'

export function securityActions(user: TeableUser, pendingEmail: string | null): AccountAction[] {
  const actions: AccountAction[] = []
  if (user.hasPassword === false) {
    actions.push({
      id: 'add-password',
      group: 'security',
      form: { id: 'add-password', title: 'Add a password', description: `This account signed up with a social account. ${AGAIN}`, fields: newPasswordFields(), actions: [{ id: 'add', label: 'Add password' }] },
    })
  } else {
    actions.push({
      id: 'change-password',
      group: 'security',
      form: {
        id: 'change-password',
        title: 'Change password',
        description: AGAIN,
        fields: [{ key: 'password', label: 'Current password', kind: 'password', required: true }, ...newPasswordFields()],
        actions: [{ id: 'change', label: 'Change password' }],
      },
    })
    actions.push({
      id: 'change-email',
      group: 'security',
      form: {
        id: 'change-email',
        title: 'Change email address',
        description: `Teable sends a code to the new address and asks for your current password. ${AGAIN}`,
        fields: [
          { key: 'email', label: 'New email address', kind: 'email', required: true },
          { key: 'password', label: 'Current password', kind: 'password', required: true },
        ],
        actions: [{ id: 'send', label: 'Send code' }],
      },
    })
    if (pendingEmail !== null) {
      actions.push({
        id: 'confirm-email',
        group: 'security',
        form: {
          id: 'confirm-email',
          title: `Confirm ${pendingEmail}`,
          description: `Enter the code sent to ${pendingEmail}, and your password to sign in again with the new address.`,
          fields: [
            { key: 'code', label: 'Code from the email', kind: 'code', required: true },
            { key: 'password', label: 'Password', kind: 'password', required: true },
          ],
          actions: [{ id: 'confirm', label: 'Change email' }],
        },
      })
    }
  }
  actions.push(
    {
      id: 'request-reset',
      group: 'security',
      form: { id: 'request-reset', title: 'Reset password by email', description: `Teable emails a link to ${user.email ?? 'this account’s address'}.`, fields: [], actions: [{ id: 'send', label: 'Email me a reset link' }] },
    },
    {
      id: 'confirm-reset',
      group: 'security',
      form: {
        id: 'confirm-reset',
        title: 'Finish a password reset',
        description: AGAIN,
        fields: [{ key: 'code', label: 'Link or code from the email', kind: 'code', required: true }, ...newPasswordFields()],
        actions: [{ id: 'reset', label: 'Set the new password' }],
      },
    },
  )
  return actions
}

export interface HeldToken {
  info: TokenInfo | null
  state: 'accepted' | 'refused' | 'unknown'
}

/** "This account holds: …" — which credentials it has and what each can do. */
export function credentialsSummary(held: HeldToken | null): string {
  const session = `a session (for ${SESSION_CAN})`
  if (held === null) return `This account holds ${session}, and no access token. Create or paste one for ${TOKEN_CAN}.`
  const name = held.info ? `“${held.info.name}”, expires ${utc(held.info.expiredTime)}` : 'a pasted token'
  const attention = held.state === 'refused' ? ' It needs attention: the server no longer accepts it (expired or deleted).' : ''
  return `This account holds ${session}, and the access token ${name} (for ${TOKEN_CAN}).${attention}`
}

export function tokenActions(tokens: TokenInfo[], spaces: { id: string; name: string }[], held: HeldToken | null): AccountAction[] {
  const scopeFields: FormFieldSpec[] = TOKEN_SCOPES.map(({ scope, label }) => ({ key: scopeKey(scope), label, kind: 'checkbox', required: false, value: scope === 'space|read' ? 'true' : 'false' }))
  const actions: AccountAction[] = [
    {
      id: 'create-token',
      group: 'security',
      form: {
        id: 'create-token',
        title: 'Create an access token',
        description: `${credentialsSummary(held)} A new token becomes the one this account holds; it is kept in the keychain.`,
        fields: [
          { key: 'name', label: 'Token name', kind: 'text', required: true },
          ...scopeFields,
          { key: 'space', label: 'Spaces', kind: 'choice', required: true, value: '*', options: [{ value: '*', label: 'All my spaces' }, ...spaces.map((space) => ({ value: space.id, label: space.name }))] },
          { key: 'expiry', label: 'Expires in', kind: 'choice', required: true, value: '30', options: EXPIRY_CHOICES },
        ],
        actions: [{ id: 'create', label: 'Create token' }],
      },
    },
    {
      id: 'paste-token',
      group: 'security',
      form: {
        id: 'paste-token',
        title: 'Use an existing access token',
        fields: [{ key: 'token', label: 'Personal access token', kind: 'password', required: true, placeholder: 'teable_acc…' }],
        actions: [{ id: 'use', label: 'Use this token' }],
      },
    },
  ]
  if (tokens.length > 0) {
    actions.push({
      id: 'tokens',
      group: 'security',
      form: {
        id: 'tokens',
        title: 'Your access tokens',
        description: tokens.map((token) => `${token.name}: expires ${utc(token.expiredTime)}`).join('; '),
        fields: [
          choiceField(
            'token',
            'Token',
            tokens.map((token) => ({ value: token.id, label: `${token.name} — expires ${utc(token.expiredTime)}${held?.info?.id === token.id ? ' (held by this account)' : ''}` })),
          ),
          { key: 'expiry', label: 'New expiry', kind: 'choice', required: true, value: '30', options: EXPIRY_CHOICES },
        ],
        actions: [
          { id: 'refresh', label: 'Refresh (new expiry)', fields: ['token', 'expiry'] },
          { id: 'delete', label: 'Delete token', fields: ['token'] },
        ],
      },
    })
  }
  return actions
}
