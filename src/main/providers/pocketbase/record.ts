/**
 * Turning PocketBase auth records into Latchkey's identity and profile. A record carries the
 * collection's fields; the server never returns the password or tokenKey, and the names below are
 * skipped anyway so that a customised collection cannot put a secret on screen or in settings.
 */
import type { RecordModel } from 'pocketbase'
import { AppError } from '../../core/errors.ts'
import { plainValue, timeAt, type Profile, type TypedValue } from '../../core/profile.ts'
import type { Identity, SignedIn } from '../../core/sessions/session.ts'
import { sessionFromToken } from './client.ts'

/** Internal to the server (the collection is already in the account's configuration). */
const NOT_PROFILE = new Set(['collectionId', 'collectionName', 'expand'])
const SECRET_NAME = /password|secret|token|otp|mfa|key$/i

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

/**
 * How PocketBase writes a date or autodate field (`created`, `updated`, a collection's own dates):
 * its DateTime's JSON form, "2006-01-02 15:04:05.000Z" in Go's layout (tools/types/datetime.go), UTC.
 */
const RECORD_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/

/** The record's filled-in fields, nothing secret: bool fields as yes/no, date fields as times, the rest as text. */
export function profileFrom(record: RecordModel): Profile {
  const profile: Profile = {}
  for (const [key, value] of Object.entries(record)) {
    if (NOT_PROFILE.has(key) || SECRET_NAME.test(key) || value === '') continue
    const field = recordTime(value) ?? plainValue(value)
    if (field !== null) profile[key] = field
  }
  return profile
}

/** A date field's value as a time; null for any other value. */
function recordTime(value: unknown): TypedValue | null {
  const parts = typeof value === 'string' ? RECORD_TIME.exec(value) : null
  return parts ? timeAt(Date.parse(`${parts[1]}T${parts[2]}Z`)) : null
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
