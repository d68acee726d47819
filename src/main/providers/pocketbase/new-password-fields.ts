/** The new password, typed twice: the same pair on every form that sets a password. */
import type { FormFieldSpec } from '../../../shared/contract.ts'
import { newPasswordPair } from '../new-password-pair.ts'

/**
 * PocketBase's default minimum password length, checked in the window before anything is sent. A
 * collection that asks for more says so itself when the password is set.
 */
export const MIN_PASSWORD_LENGTH = 8

export function newPasswordFields(): FormFieldSpec[] {
  return newPasswordPair(MIN_PASSWORD_LENGTH)
}
