/** The new password, typed twice, as the backends that take it as `password` ask for it. */
import type { FormFieldSpec } from '../../shared/contract.ts'

/** A new password of at least `minLength` characters (checked in the window before anything is sent), and the same again. */
export function newPasswordPair(minLength: number): FormFieldSpec[] {
  return [
    { key: 'password', label: 'New password', kind: 'new-password', required: true, minLength },
    { key: 'passwordConfirm', label: 'Repeat the new password', kind: 'new-password', required: true, sameAs: 'password' },
  ]
}
