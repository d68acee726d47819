/**
 * The address and number checks Supabase Auth makes before it looks anything up (validateEmail in
 * internal/api/mail.go with checkmail's format, validatePhone in phone.go: E.164 digits once a
 * leading "+" and spaces are dropped), with its 400 validation_failed answers.
 */
import { badRequest } from './errors.ts'

const EMAIL_FORMAT = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/
const E164 = /^[1-9][0-9]{1,14}$/

/** The address in lower case. */
export function validateEmail(email: string): string {
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long')
  if (!EMAIL_FORMAT.test(email)) throw badRequest('validation_failed', 'Unable to validate email address: invalid format')
  return email.toLowerCase()
}

/** The number as digits. */
export function validatePhone(phone: string): string {
  const digits = phone.replace(/^\+/, '').replaceAll(' ', '')
  if (!E164.test(digits)) throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)')
  return digits
}
