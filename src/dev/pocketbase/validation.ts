/**
 * The few ozzo-validation rules PocketBase's auth forms use, with their codes and messages. Like
 * ozzo, each field reports only its first failing rule, and every rule but `required` skips an
 * empty value.
 */
import { ApiError, fieldError, VALIDATION_FAILED } from './errors.ts'
import type { FieldError } from './errors.ts'

export type Rule = (value: string) => FieldError | null

/** ozzo's is.EmailFormat pattern (it accepts addresses without a dot in the domain). */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

/** Go's utf8.RuneCountInString: code points, not UTF-16 units. */
export function runeCount(text: string): number {
  let count = 0
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    // A high surrogate followed by its low surrogate is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) index++
    count++
  }
  return count
}

export const isEmailFormat = (value: string): boolean => EMAIL.test(value)

export const required: Rule = (value) => (value === '' ? fieldError('validation_required', 'Cannot be blank.') : null)

export function length(min: number, max: number): Rule {
  return (value) => {
    const size = runeCount(value)
    if (value === '' || (size >= min && size <= max)) return null
    if (min > 0 && max > 0) return fieldError('validation_length_out_of_range', `The length must be between ${min} and ${max}.`, { min, max })
    return min > 0
      ? fieldError('validation_length_too_short', `The length must be no less than ${min}.`, { min })
      : fieldError('validation_length_too_long', `The length must be no more than ${max}.`, { max })
  }
}

export const email: Rule = (value) => (value === '' || isEmailFormat(value) ? null : fieldError('validation_is_email', 'Must be a valid email address.'))

export function notIn(...values: string[]): Rule {
  return (value) => (value === '' || !values.includes(value) ? null : fieldError('validation_not_in_invalid', 'Must not be in list.'))
}

export function oneOf(...values: string[]): Rule {
  return (value) => (value === '' || values.includes(value) ? null : fieldError('validation_in_invalid', 'Must be a valid value.'))
}

/** A custom check that runs only on a non-empty value (like ozzo's validation.By with an early return). */
export function by(check: (value: string) => FieldError | null): Rule {
  return (value) => (value === '' ? null : check(value))
}

export type FieldRules = [name: string, value: string, rules: Rule[]]

export function validateFields(fields: FieldRules[]): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {}
  for (const [name, value, rules] of fields) {
    for (const rule of rules) {
      const error = rule(value)
      if (error !== null) {
        errors[name] = error
        break
      }
    }
  }
  return errors
}

/** Throws PocketBase's 400 with the field errors, if there are any. */
export function assertValid(fields: FieldRules[], message = VALIDATION_FAILED): void {
  const errors = validateFields(fields)
  if (Object.keys(errors).length > 0) throw new ApiError(400, message, errors)
}
