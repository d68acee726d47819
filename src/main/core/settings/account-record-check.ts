/**
 * A check, in plain code, that a parsed value is an account record of this version: each field of
 * AccountRecord of the right type. Used where a schema library's parse of 10,000 records was most
 * of a start (the settings file, the account files); each caller says how strict to be, and hands
 * what the check refuses to the schema that explains and recovers (conf's, or zod's).
 */
import { PROVIDER_KINDS } from '../../../shared/contract.ts'
import { isObject } from '../json-object.ts'
import { isProfileValue } from '../profile.ts'

export interface RecordRules {
  /** What a time field must be (a string, or an ISO time the settings schema accepts). */
  time(value: unknown): boolean
  /** Refuse a record (or a part of one) with a field this version does not know. */
  onlyKnownFields: boolean
}

/** Every field of an account record this check knows. */
export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set([
  'id', 'label', 'provider', 'config', 'identity', 'profile', 'createdAt', 'lastRefreshAt', 'expiresAt', 'attention', 'signedOut', 'refreshStartedAt', 'credentials', 'cliAccess', 'sessionFacts',
])
const IDENTITY_FIELDS = new Set(['subject', 'name', 'email'])
const ATTENTION_FIELDS = new Set(['reason', 'message', 'since', 'retryAt'])
const CREDENTIAL_FIELDS = new Set(['kind', 'label', 'status', 'expiresAt', 'message'])
const FACT_FIELDS = new Set(['expiresAt', 'issuedAt', 'refreshable', 'isStatic'])
const KINDS = new Set<string>(PROVIDER_KINDS)
const REASONS = new Set(['refresh-rejected', 'revoked', 'network-down', 'keychain-unavailable', 'expired', 'rate-limited'])
const STATUSES = new Set(['ok', 'needs-attention', 'unknown'])

export function isAccountRecord(value: unknown, rules: RecordRules): boolean {
  if (!isObject(value) || !known(value, ACCOUNT_FIELDS, rules)) return false
  const { id, identity, attention, credentials } = value
  const nullableTime = (field: unknown): boolean => field === null || rules.time(field)
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    typeof value['label'] === 'string' &&
    typeof value['provider'] === 'string' &&
    KINDS.has(value['provider']) &&
    isStrings(value['config']) &&
    isObject(identity) &&
    known(identity, IDENTITY_FIELDS, rules) &&
    typeof identity['subject'] === 'string' &&
    isNullableString(identity['name']) &&
    isNullableString(identity['email']) &&
    isProfile(value['profile']) &&
    rules.time(value['createdAt']) &&
    nullableTime(value['lastRefreshAt']) &&
    nullableTime(value['expiresAt']) &&
    (attention === null || isAttention(attention, rules)) &&
    typeof value['signedOut'] === 'boolean' &&
    (!('refreshStartedAt' in value) || nullableTime(value['refreshStartedAt'])) &&
    (!('credentials' in value) || (Array.isArray(credentials) && (credentials as unknown[]).every((item) => isCredential(item, rules)))) &&
    (!('cliAccess' in value) || typeof value['cliAccess'] === 'boolean') &&
    (!('sessionFacts' in value) || value['sessionFacts'] === null || isSessionFacts(value['sessionFacts'], rules))
  )
}

/** What the scheduler and the list keep of a session (see SessionFacts): numbers, never a token. */
function isSessionFacts(value: unknown, rules: RecordRules): boolean {
  return (
    isObject(value) &&
    known(value, FACT_FIELDS, rules) &&
    (value['expiresAt'] === null || typeof value['expiresAt'] === 'number') &&
    typeof value['issuedAt'] === 'number' &&
    typeof value['refreshable'] === 'boolean' &&
    (!('isStatic' in value) || value['isStatic'] === true)
  )
}

function isAttention(value: unknown, rules: RecordRules): boolean {
  return (
    isObject(value) &&
    known(value, ATTENTION_FIELDS, rules) &&
    typeof value['reason'] === 'string' &&
    REASONS.has(value['reason']) &&
    typeof value['message'] === 'string' &&
    rules.time(value['since']) &&
    (!('retryAt' in value) || rules.time(value['retryAt']))
  )
}

function isCredential(value: unknown, rules: RecordRules): boolean {
  return (
    isObject(value) &&
    known(value, CREDENTIAL_FIELDS, rules) &&
    typeof value['kind'] === 'string' &&
    typeof value['label'] === 'string' &&
    typeof value['status'] === 'string' &&
    STATUSES.has(value['status']) &&
    (!('expiresAt' in value) || rules.time(value['expiresAt'])) &&
    (!('message' in value) || typeof value['message'] === 'string')
  )
}

function known(value: Record<string, unknown>, fields: ReadonlySet<string>, rules: RecordRules): boolean {
  if (!rules.onlyKnownFields) return true
  for (const key in value) if (!fields.has(key)) return false
  return true
}

/** An object whose values are all strings (a JSON object, not a list). */
function isStrings(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) if (typeof value[key] !== 'string') return false
  return true
}

/** A profile: each value text, or a typed value. */
function isProfile(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) if (!isProfileValue(value[key])) return false
  return true
}

const isNullableString = (value: unknown): boolean => value === null || typeof value === 'string'

