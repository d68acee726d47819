/**
 * Multi-factor sessions (PocketBase's `_mfas` and apis/record_helpers.go checkMFA). The first
 * successful method of a record the MFA rule matches answers 401 `{"mfaId"}`; a second, different
 * method that carries that mfaId (body or `?mfaId=`) completes the sign-in.
 */
import { badRequest } from './errors.ts'
import { isExpired } from './otp.ts'
import type { RecordIds } from './random.ts'
import type { AuthRecord } from './store.ts'

export type AuthMethod = 'password' | 'otp' | 'oauth2'

interface MfaSession {
  id: string
  collectionId: string
  recordId: string
  method: AuthMethod
  created: number
}

export class MfaStore {
  readonly #ids: RecordIds

  constructor(ids: RecordIds) {
    this.#ids = ids
  }

  readonly #sessions = new Map<string, MfaSession>()

  deleteAllOf(record: AuthRecord): void {
    for (const session of this.#sessions.values()) if (session.recordId === record.id) this.#sessions.delete(session.id)
  }

  /**
   * Returns the mfaId to answer with, or '' when the sign-in may complete now. Throws PocketBase's
   * 400s for an expired or foreign session and for repeating the first method.
   */
  check(record: AuthRecord, method: AuthMethod, mfaId: string, now: number): string {
    const collection = record.collection
    if (!collection.mfa.enabled || !record.wantsMfa) return ''
    if (mfaId === '') {
      const session: MfaSession = { id: this.#ids.next(), collectionId: collection.id, recordId: record.id, method, created: now }
      this.#sessions.set(session.id, session)
      return session.id
    }
    const session = this.#sessions.get(mfaId)
    if (session === undefined || isExpired(session.created, collection.mfa.durationSeconds, now)) {
      this.#sessions.delete(mfaId)
      throw badRequest('Invalid or expired MFA session.')
    }
    if (session.recordId !== record.id || session.collectionId !== collection.id) throw badRequest('Invalid MFA session.')
    if (session.method === method) throw badRequest('A different authentication method is required.')
    this.#sessions.delete(mfaId)
    return ''
  }
}
