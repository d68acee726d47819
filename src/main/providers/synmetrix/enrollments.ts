/**
 * Authenticator secrets HBP generated for an account and not yet confirmed with a code: held in this
 * process's memory only (never stored), so the "Turn on" form can show the QR code and the secret.
 * They are dropped once codes are turned on or after an hour.
 */
import { TOTP } from 'otpauth'
import type { FormFieldSpec } from '../../../shared/contract.ts'
import { qrCodeField } from '../../core/forms/qr-field.ts'

const KEEP_MS = 60 * 60 * 1000

export class Enrollments {
  readonly #pending = new Map<string, { secret: string; label: string; until: number }>()

  set(key: string, secret: string, label: string, now: number): void {
    this.#pending.set(key, { secret, label, until: now + KEEP_MS })
  }

  has(key: string, now: number): boolean {
    const entry = this.#pending.get(key)
    if (entry !== undefined && entry.until <= now) this.#pending.delete(key)
    return this.#pending.has(key)
  }

  delete(key: string): void {
    this.#pending.delete(key)
  }

  /** The read-only 'qr' field: a QR code made in the main process from the otpauth URI, and the secret as text. */
  field(key: string, issuer: string): Promise<FormFieldSpec | null> {
    const entry = this.#pending.get(key)
    if (entry === undefined) return Promise.resolve(null)
    const uri = new TOTP({ issuer, label: entry.label, secret: entry.secret, digits: 6, period: 30 }).toString()
    return qrCodeField({ key: 'secret', uri, secret: entry.secret })
  }
}

export function enrollmentKey(host: string, subject: string): string {
  return `${host}\n${subject}`
}
