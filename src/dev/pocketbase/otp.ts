/** One-time passwords (PocketBase's `_otps`): at most 10 live per record, deleted when used or when the tokenKey changes. */
import { timingSafeEqual } from 'node:crypto'
import type { RecordIds } from './random.ts'
import type { AuthRecord } from './store.ts'

export interface Otp {
  id: string
  collectionId: string
  recordId: string
  password: string
  /** The address the code was mailed to ('' if none). */
  sentTo: string
  created: number
}

const MAX_RECENT_PER_RECORD = 10

export class OtpStore {
  readonly #ids: RecordIds

  constructor(ids: RecordIds) {
    this.#ids = ids
  }

  readonly #otps = new Map<string, Otp>()

  create(record: AuthRecord, password: string, sentTo: string, now: number): Otp {
    const otp: Otp = { id: this.#ids.next(), collectionId: record.collection.id, recordId: record.id, password, sentTo, created: now }
    this.#otps.set(otp.id, otp)
    return otp
  }

  find(id: string): Otp | undefined {
    return this.#otps.get(id)
  }

  delete(id: string): void {
    this.#otps.delete(id)
  }

  deleteAllOf(record: AuthRecord): void {
    for (const otp of this.#otps.values()) if (otp.recordId === record.id) this.#otps.delete(otp.id)
  }

  /** The newest OTP when the record already has 10 unexpired ones (request-otp then reuses it, mailing nothing). */
  reusable(record: AuthRecord, now: number): Otp | undefined {
    // Newest first; among equal timestamps the later one (the map keeps insertion order).
    const own = [...this.#otps.values()]
      .filter((otp) => otp.recordId === record.id)
      .reverse()
      .sort((a, b) => b.created - a.created)
    const recent = own.filter((otp) => !isExpired(otp.created, record.collection.otp.durationSeconds, now))
    return recent.length >= MAX_RECENT_PER_RECORD ? own[0] : undefined
  }
}

/** Compared in constant time, like PocketBase's hashed OTP check. */
export function otpMatches(otp: Otp, password: string): boolean {
  const expected = Buffer.from(otp.password)
  const given = Buffer.from(password)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** PocketBase's HasExpired: created + duration is not after now. */
export function isExpired(created: number, durationSeconds: number, now: number): boolean {
  return created + durationSeconds * 1000 <= now
}
