import type { Clock } from '../ports.ts'

/** How long the vault waits for a keychain call by default. */
export const KEYCHAIN_DEADLINE_MS = 8000

/** A keychain call that did not answer in time (a locked keyring waiting for a password, a hung D-Bus). */
export class KeychainTimeoutError extends Error {
  readonly timeoutMs: number
  constructor(timeoutMs: number) {
    super(`The keychain did not answer within ${timeoutMs} ms.`)
    this.name = 'KeychainTimeoutError'
    this.timeoutMs = timeoutMs
  }
}

/**
 * Runs `work` and settles by the deadline at the latest. A call that hangs is abandoned (it cannot
 * be cancelled), so the app never waits on it. A synchronous throw becomes a rejection.
 */
export function withDeadline<T>(work: () => Promise<T>, clock: Clock, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new KeychainTimeoutError(timeoutMs)), timeoutMs)
    const settle = (finish: () => void) => {
      clock.clearTimeout(timer)
      finish()
    }
    let pending: Promise<T>
    try {
      pending = work()
    } catch (error) {
      settle(() => reject(asError(error)))
      return
    }
    pending.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(asError(error))),
    )
  })
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
