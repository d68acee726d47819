/** Reading what the person typed into a form: trimmed text (never a password), required values, a new password twice. */
import type { FormValues } from '../../shared/contract.ts'
import { AppError } from '../core/errors.ts'

/** A value the person typed, trimmed unless it is a password. */
export function text(values: FormValues, key: string, options: { trim?: boolean } = {}): string {
  const value = values[key]
  if (typeof value !== 'string') return ''
  return options.trim === false ? value : value.trim()
}

export function required(values: FormValues, key: string, message: string, options: { trim?: boolean } = {}): string {
  const value = text(values, key, options)
  if (value === '') throw new AppError('VALIDATION', message, { field: key })
  return value
}

/** The new password twice; both are checked here too, not only in the window. */
export function newPassword(values: FormValues): string {
  const password = required(values, 'password', 'Enter the new password.', { trim: false })
  if (text(values, 'passwordConfirm', { trim: false }) !== password) {
    throw new AppError('VALIDATION', 'The two new passwords are not the same.', { field: 'passwordConfirm' })
  }
  return password
}
