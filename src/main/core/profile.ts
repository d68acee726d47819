/**
 * A person's profile as a backend reports it: text as the server sent it, or a value whose kind the
 * backend's protocol gives (a JSON boolean, a claim defined as a time). Providers say the kind where
 * they know it; nothing here guesses from how a text looks.
 */
import { VALUE_KINDS, type ProfileField, type ValueKind } from '../../shared/contract.ts'

/** A yes/no ("true"/"false") or a time (an ISO 8601 time in UTC). */
export interface TypedValue {
  kind: ValueKind
  value: string
}

export type ProfileValue = string | TypedValue

export type Profile = Record<string, ProfileValue>

/** Beyond this many characters a text is cut: a profile is for reading, not for storing documents. */
export const MAX_PROFILE_TEXT = 500

export function yesNo(value: boolean): TypedValue {
  return { kind: 'yes-no', value: value ? 'true' : 'false' }
}

/** A time from milliseconds since the epoch; null for one no date can hold. */
export function timeAt(ms: number): TypedValue | null {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : { kind: 'time', value: date.toISOString() }
}

/** A time given as seconds since the epoch (a JWT's NumericDate, OIDC's `updated_at`); null for anything else or 0. */
export function epochSeconds(value: unknown): TypedValue | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? timeAt(value * 1000) : null
}

/** RFC 3339 date-time ("2026-12-05T17:10:36Z", "2026-12-05T18:10:36.813+01:00"), the form JSON APIs write times in. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** A time written as an RFC 3339 date-time, for a field its protocol defines as one; null when it is not one. */
export function rfc3339(value: unknown): TypedValue | null {
  return typeof value === 'string' && RFC_3339.test(value) ? timeAt(Date.parse(value)) : null
}

/** A plain JSON value as a profile value: a boolean as a yes/no, a string or number as its text; null for anything else. */
export function plainValue(value: unknown): ProfileValue | null {
  if (typeof value === 'boolean') return yesNo(value)
  if (typeof value === 'string' || typeof value === 'number') return String(value).slice(0, MAX_PROFILE_TEXT)
  return null
}

/** The value as text: the text itself, or a typed value's plain form. */
export function plainText(value: ProfileValue): string {
  return typeof value === 'string' ? value : value.value
}

export function sameValue(a: ProfileValue | undefined, b: ProfileValue | undefined): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return a === b
  return a.kind === b.kind && a.value === b.value
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(VALUE_KINDS)

export const isValueKind = (kind: string): kind is ValueKind => KNOWN_KINDS.has(kind)

/** A stored profile value exactly as this version writes it (text, or a kind this version knows with text). */
export function isProfileValue(value: unknown): value is ProfileValue {
  if (typeof value === 'string') return true
  if (typeof value !== 'object' || value === null) return false
  const { kind, value: text } = value as Record<string, unknown>
  return typeof kind === 'string' && isValueKind(kind) && typeof text === 'string' && Object.keys(value).length === 2
}

/**
 * A stored typed value as this version reads it, whichever version wrote it: a kind it knows stays
 * that kind (fields a later version added to it are dropped), and a kind it does not know is read
 * as its text. A profile only shows what the server said, so a later version's value is never a
 * reason to refuse the account it belongs to.
 */
export function storedTypedValue({ kind, value }: { kind: string; value: string }): ProfileValue {
  return isValueKind(kind) ? { kind, value } : value
}

/** The profile as the account screen lists it, labelled ("email_verified" → "Email verified"). */
export function profileFields(profile: Readonly<Profile>): ProfileField[] {
  return Object.entries(profile).map(([key, value]) =>
    typeof value === 'string' ? { key, label: profileLabel(key), value } : { key, label: profileLabel(key), value: value.value, kind: value.kind },
  )
}

/** Claim names that are abbreviations of what a person would call them. */
const NAMED: Readonly<Record<string, string>> = { sub: 'Subject' }

/** Words written in capitals, as the rest of Latchkey writes them ("Client ID", "Issuer URL"). */
const ACRONYMS: ReadonlySet<string> = new Set(['id', 'ip', 'url', 'uri', 'mfa', 'otp', 'sso', 'api'])

/** A label in sentence case, from a key in snake_case or camelCase: "email_verified" and "emailVisibility" → "Email verified", "Email visibility"; "lastIp" → "Last IP". */
function profileLabel(key: string): string {
  const named = NAMED[key]
  if (named !== undefined) return named
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '')
    .map((word, index) => {
      const lower = word.toLowerCase()
      if (ACRONYMS.has(lower)) return lower.toUpperCase()
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower
    })
  return words.length > 0 ? words.join(' ') : key
}
