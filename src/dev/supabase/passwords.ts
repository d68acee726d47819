/** checkPasswordStrength (internal/api/password.go): at most 72 bytes, a minimum length (weak_password with reasons). */
import { ApiError } from './errors.ts'

export function checkPasswordStrength(password: string, minLength: number): void {
  // MaxPasswordLength: 72, counted in bytes (Go's len).
  if (Buffer.byteLength(password, 'utf8') > 72) throw new ApiError(400, 'validation_failed', 'Password cannot be longer than 72 characters')
  if (password.length < minLength) {
    throw new ApiError(422, 'weak_password', `Password should be at least ${String(minLength)} characters.`, { weak_password: { reasons: ['length'] } })
  }
}
