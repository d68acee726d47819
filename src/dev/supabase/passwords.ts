/** checkPasswordStrength (internal/api/password.go): minimum length and required characters, with reasons. */
import { ApiError } from './errors.ts'

export function checkPasswordStrength(password: string, minLength: number): void {
  if (password.length < minLength) {
    throw new ApiError(422, 'weak_password', `Password should be at least ${String(minLength)} characters.`, { weak_password: { reasons: ['length'] } })
  }
}
