/**
 * Steps of an account action that wait for the person, kept in this process's memory (never on
 * disk) for at most ten minutes: an authenticator setup (GoTrue returns the TOTP secret only once,
 * when the factor is enrolled, so the QR code's URI and the secret wait here for the first code),
 * a phone being added as a second factor (its texted challenge),
 * the linking of another sign-in method in the browser (its loopback receiver and PKCE client),
 * and which address of a secure email change has confirmed (the server spends that code and does
 * not say which half is done).
 */
import type { NonceLoopback } from './loopback.ts'
import type { SupabaseClient } from './client.ts'

const TEN_MINUTES = 600_000

class PendingByAccount<T extends { startedAt: number }> {
  readonly #items = new Map<string, T>()
  readonly #release: (item: T) => void

  constructor(release: (item: T) => void = () => {}) {
    this.#release = release
  }

  get(key: string, now: number): T | null {
    const found = this.#items.get(key)
    if (found === undefined) return null
    if (now - found.startedAt > TEN_MINUTES) {
      this.end(key)
      return null
    }
    return found
  }

  start(key: string, item: T): void {
    this.end(key)
    this.#items.set(key, item)
  }

  end(key: string): void {
    const found = this.#items.get(key)
    this.#items.delete(key)
    if (found !== undefined) this.#release(found)
  }
}

export interface Enrollment {
  factorId: string
  uri: string
  secret: string
  startedAt: number
}

const enrollments = new PendingByAccount<Enrollment>()

export function pendingEnrollment(key: string, now: number): Enrollment | null {
  return enrollments.get(key, now)
}

export function startEnrollment(key: string, enrollment: Enrollment): void {
  enrollments.start(key, enrollment)
}

export function endEnrollment(key: string): void {
  enrollments.end(key)
}

/** A phone being added as a second factor: the factor, and the challenge whose code was texted to it. */
export interface PhoneEnrollment {
  factorId: string
  challengeId: string
  phone: string
  startedAt: number
}

export const phoneEnrollments = new PendingByAccount<PhoneEnrollment>()

/** A secure email change to `address` whose code sent to one of the two addresses was accepted. */
export interface EmailChangeHalf {
  address: string
  confirmed: 'new' | 'current'
  startedAt: number
}

export const emailChangeHalves = new PendingByAccount<EmailChangeHalf>()

/** Linking an OAuth identity: the browser comes back to `loopback`; `client` holds the PKCE verifier. */
export interface IdentityLink {
  provider: string
  loopback: NonceLoopback
  client: SupabaseClient
  startedAt: number
}

export const identityLinks = new PendingByAccount<IdentityLink>((link) => link.loopback.close())
