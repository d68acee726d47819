/** PocketBase's random strings (security.RandomString…), from node:crypto. */
import { randomInt } from 'node:crypto'

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789'

export function randomString(length: number, alphabet = ALPHANUMERIC): string {
  let result = ''
  for (let index = 0; index < length; index++) result += alphabet.charAt(randomInt(alphabet.length))
  return result
}

/** A record, OTP or MFA id: 15 characters a-z0-9 (core.GenerateDefaultRandomId). */
export function randomId(): string {
  return randomString(15, LOWER_ALPHANUMERIC)
}

export function randomDigits(length: number): string {
  return randomString(length, '0123456789')
}
