/**
 * Turning PocketBase auth records into Latchkey's identity and profile. A record carries the
 * collection's fields; the server never returns the password or tokenKey, and the names below are
 * skipped anyway so that a customised collection cannot put a secret on screen or in settings.
 */
import type { RecordModel } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import type { Identity, SignedIn } from '../../core/sessions/session.ts'
import { sessionFromToken } from './client.ts'

/** Internal to the server (the collection is already in the account's configuration). */
const NOT_PROFILE = new Set(['collectionId', 'collectionName', 'expand'])
const SECRET_NAME = /password|secret|token|otp|mfa|key$/i
const MAX_VALUE_LENGTH = 500

/** Fields the server manages, or that change only through their own flow (email, verification). */
const NOT_EDITABLE = new Set(['id', 'email', 'verified', 'created', 'updated', 'collectionId', 'collectionName', 'expand', 'avatar'])

export type PlainValue = string | number | boolean

export function identityFrom(record: RecordModel): Identity {
  return {
    subject: record.id,
    name: stringField(record, 'name') ?? stringField(record, 'username'),
    email: stringField(record, 'email'),
  }
}

/** The record's filled-in fields as strings: plain values only, nothing secret. */
export function profileFrom(record: RecordModel): Record<string, string> {
  const profile: Record<string, string> = {}
  for (const [key, value] of Object.entries(record)) {
    if (NOT_PROFILE.has(key) || SECRET_NAME.test(key) || value === '') continue
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      profile[key] = String(value).slice(0, MAX_VALUE_LENGTH)
    }
  }
  return profile
}

/** The fields a person may edit on their own record, with their current values (name, emailVisibility, …). */
export function editableFields(record: RecordModel): [string, PlainValue][] {
  const fields: [string, PlainValue][] = []
  for (const [key, value] of Object.entries(record)) {
    if (NOT_EDITABLE.has(key) || SECRET_NAME.test(key)) continue
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields.push([key, value])
  }
  return fields
}

/** A whole sign-in from an auth answer (`{token, record}`), checked to be one. */
export function signedInFrom(token: string, record: RecordModel | null, issuedAt: number, host: string): SignedIn {
  if (token === '' || record === null || typeof record.id !== 'string' || record.id === '') {
    throw new AppError('AUTH_FAILED', `${host} answered the sign-in with something that is not a PocketBase session.`)
  }
  return { session: sessionFromToken(token, issuedAt), identity: identityFrom(record), profile: profileFrom(record) }
}

/** A non-empty string field of a record, else null. */
export function stringField(record: RecordModel, key: string): string | null {
  const value: unknown = record[key]
  return typeof value === 'string' && value !== '' ? value : null
}
