/** The new password, typed twice: the same pair on every form that sets a password. */
import type { FormFieldSpec } from '../../../shared/contract.ts'

/**
 * PocketBase's default minimum password length, checked in the window before anything is sent. A
 * collection that asks for more says so itself when the password is set.
 */
export const MIN_PASSWORD_LENGTH = 8

export function newPasswordFields(): FormFieldSpec[] {
  return [
    { key: 'password', label: 'New password', kind: 'new-password', required: true, minLength: MIN_PASSWORD_LENGTH },
    { key: 'passwordConfirm', label: 'Repeat the new password', kind: 'new-password', required: true, sameAs: 'password' },
  ]
}
