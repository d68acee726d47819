/**
 * Authenticator setups under way. GoTrue returns the TOTP secret only once, when the factor is
 * enrolled; until the first code verifies it, Latchkey keeps the QR code's URI and the secret in
 * this process's memory (never on disk), for at most ten minutes.
 */
const TEN_MINUTES = 600_000

export interface Enrollment {
  factorId: string
  uri: string
  secret: string
  startedAt: number
}

const pending = new Map<string, Enrollment>()

export function pendingEnrollment(key: string, now: number): Enrollment | null {
  const found = pending.get(key)
  if (found === undefined) return null
  if (now - found.startedAt > TEN_MINUTES) {
    pending.delete(key)
    return null
  }
  return found
}

export function startEnrollment(key: string, enrollment: Enrollment): void {
  pending.set(key, enrollment)
}

export function endEnrollment(key: string): void {
  pending.delete(key)
}
