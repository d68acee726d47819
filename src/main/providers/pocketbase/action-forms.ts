/**
 * The forms of a signed-in PocketBase account (AccountAction). Form ids are what `runAction`
 * receives; each form has one button:
 *   profile                 'save'         the record's own plain fields and the avatar
 *   change-password         'change'       oldPassword + password + passwordConfirm
 *   request-password-reset  'send'         confirm-password-reset  'confirm'
 *   request-verification    'send'         confirm-verification    'confirm'
 *   request-email-change    'send'         confirm-email-change    'confirm'
 *   change-email            'change'       (superusers only: newEmail + current password)
 *   impersonate             'impersonate'  (superusers only)
 */
import type { AccountAction, FormFieldSpec } from '../../../shared/contract.ts'
import type { PlainValue } from './record.ts'
import { AVATAR_MAX_BYTES, AVATAR_TYPES } from './avatar.ts'
import { DEFAULT_COLLECTION } from './config.ts'
import { newPasswordFields } from './new-password-fields.ts'

export const DEFAULT_IMPERSONATION_SECONDS = 3600
const LABELS: Record<string, string> = {
  name: 'Name',
  username: 'Username',
  emailVisibility: 'Show my email address to other users',
}

export function profileAction(fields: [string, PlainValue][], avatar: { preview: string | null } | null): AccountAction {
  const ordered = [...fields].sort(([a], [b]) => rank(a) - rank(b))
  const specs: FormFieldSpec[] = ordered.map(([key, value]) => plainField(key, value))
  if (avatar !== null) {
    specs.push({ key: 'avatar', label: 'Avatar', kind: 'image', required: false, accept: AVATAR_TYPES, maxBytes: AVATAR_MAX_BYTES, preview: avatar.preview })
  }
  return {
    id: 'profile',
    group: 'profile',
    form: { id: 'profile', title: 'Edit profile', fields: specs, actions: [{ id: 'save', label: 'Save profile' }] },
  }
}

export function securityActions(options: { email: string | null; verified: boolean; superuser: boolean }): AccountAction[] {
  const email = options.email ?? ''
  const actions: AccountAction[] = [
    security('change-password', 'Change password', [
      { key: 'oldPassword', label: 'Current password', kind: 'password', required: true },
      ...newPasswordFields(),
    ], { id: 'change', label: 'Change password' }, 'You stay signed in here; other devices are signed out.'),
    security('request-password-reset', 'Reset password by email', [
      { key: 'email', label: 'Email', kind: 'email', required: true, value: email },
    ], { id: 'send', label: 'Email me a reset link' }),
    security('confirm-password-reset', 'Finish a password reset', [
      { key: 'token', label: 'Token from the reset email', kind: 'code', required: true },
      ...newPasswordFields(),
    ], { id: 'confirm', label: 'Set the new password' }),
  ]
  if (!options.verified && !options.superuser) {
    actions.push(
      security('request-verification', 'Verify your email address', [
        { key: 'email', label: 'Email', kind: 'email', required: true, value: email },
      ], { id: 'send', label: 'Send a verification email' }),
      security('confirm-verification', 'Finish the verification', [
        { key: 'token', label: 'Token from the verification email', kind: 'code', required: true },
      ], { id: 'confirm', label: 'Verify' }),
    )
  }
  if (options.superuser) {
    // PocketBase refuses the request/confirm flow to superusers: they change their email directly.
    actions.push(
      security('change-email', 'Change email address', [
        { key: 'newEmail', label: 'New email address', kind: 'email', required: true },
        { key: 'password', label: 'Current password', kind: 'password', required: true },
      ], { id: 'change', label: 'Change email' }, 'The address changes at once. You are signed in again with the new address.'),
    )
  } else {
    actions.push(
      security('request-email-change', 'Change email address', [
        { key: 'newEmail', label: 'New email address', kind: 'email', required: true },
      ], { id: 'send', label: 'Send a confirmation link' }),
      security('confirm-email-change', 'Finish the email change', [
        { key: 'token', label: 'Token from the confirmation email', kind: 'code', required: true },
        { key: 'password', label: 'Current password', kind: 'password', required: true },
      ], { id: 'confirm', label: 'Change email' }, 'You are signed in again with the new address.'),
    )
  }
  return actions
}

export function impersonateAction(users: { value: string; label: string }[]): AccountAction {
  return {
    id: 'impersonate',
    group: 'admin',
    form: {
      id: 'impersonate',
      title: 'Impersonate a user',
      description: 'Adds an account that acts as that user. Its token cannot be renewed; it ends after the duration.',
      fields: [
        { key: 'user', label: 'User', kind: 'choice', required: false, options: users },
        { key: 'userId', label: 'Or record id', kind: 'text', required: false, help: 'Wins over the list when filled in.' },
        { key: 'duration', label: 'Duration (seconds)', kind: 'number', required: false, value: String(DEFAULT_IMPERSONATION_SECONDS), help: '0 = the collection’s own token duration.' },
        { key: 'collection', label: 'Collection', kind: 'text', required: false, value: DEFAULT_COLLECTION },
      ],
      actions: [{ id: 'impersonate', label: 'Impersonate' }],
    },
  }
}

function security(id: string, title: string, fields: FormFieldSpec[], action: { id: string; label: string }, description?: string): AccountAction {
  return { id, group: 'security', form: { id, title, ...(description === undefined ? {} : { description }), fields, actions: [action] } }
}

function plainField(key: string, value: PlainValue): FormFieldSpec {
  const label = LABELS[key] ?? humanise(key)
  if (typeof value === 'boolean') return { key, label, kind: 'checkbox', required: false, value: String(value) }
  if (typeof value === 'number') return { key, label, kind: 'number', required: false, value: String(value) }
  return { key, label, kind: 'text', required: false, value }
}

/** name first, then emailVisibility, then the collection's own fields in the record's order. */
function rank(key: string): number {
  return key === 'name' ? 0 : key === 'emailVisibility' ? 1 : 2
}

/** "favoriteColor" / "favorite_color" → "Favorite color". */
function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_+/g, ' ').trim().toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
