/** Words and numbers as the person reads them: durations, relative times, status names. */
import type { AccountStatus, ProfileField, StorageState } from '../../shared/contract.ts'

const SECOND = 1000

/** "42 s", "4 min", "3 h", "2 d"; with `precise`, one more unit: "4 min 12 s", "3 h 5 min". */
export function formatDuration(ms: number, precise = false): string {
  const total = Math.max(0, Math.floor(ms / SECOND))
  if (total < 60) return `${total} s`
  const minutes = Math.floor(total / 60)
  if (minutes < 60) return precise ? `${minutes} min ${total % 60} s` : `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return precise ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return precise ? `${days} d ${hours % 24} h` : `${days} d`
}

/** Milliseconds since the epoch, or null for a missing or unreadable time. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null
  const time = Date.parse(iso)
  return Number.isNaN(time) ? null : time
}

/** "in 4 min", "2 h ago", "just now"; "unknown" when there is no time. */
export function relativeTime(iso: string | null, now: number): string {
  const time = parseTime(iso)
  if (time === null) return 'unknown'
  const delta = time - now
  if (Math.abs(delta) < SECOND) return 'just now'
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`
}

/** "expires in 4 min", "expired", or "no expiry reported". */
export function expiryText(iso: string | null, now: number, precise = false): string {
  const time = parseTime(iso)
  if (time === null) return 'no expiry reported'
  const left = time - now
  return left > 0 ? `expires in ${formatDuration(left, precise)}` : 'expired'
}

/** A clock-style countdown, "4:05" (minutes:seconds), never negative. */
export function countdown(iso: string, now: number): string {
  const time = parseTime(iso)
  if (time === null) return '–'
  const total = Math.max(0, Math.ceil((time - now) / SECOND))
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
}

/** The host of an address ("id.example.com" for "https://id.example.com/realms/x"); what was typed when it is no URL. */
export function hostOf(address: string): string {
  try {
    return new URL(address).host || address
  } catch {
    return address
  }
}

/**
 * The person's own date-and-time format (what `Date#toLocaleString()` writes), built once, when
 * first needed: each `toLocaleString()` builds a formatter of its own, and the first one built in a
 * page costs milliseconds (the locale's data is loaded then).
 */
let localFormat: Intl.DateTimeFormat | undefined
export const LOCAL_DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }
function localDateTime(time: number): string {
  localFormat ??= new Intl.DateTimeFormat(undefined, LOCAL_DATE_TIME)
  return localFormat.format(time)
}

/** A full local date and time, or "unknown". */
export function dateTime(iso: string | null): string {
  const time = parseTime(iso)
  return time === null ? 'unknown' : localDateTime(time)
}

/** A profile or configuration value as a person reads it: "Yes"/"No", a local date and time, or the text as it came. */
export function fieldText(field: ProfileField): string {
  if (field.kind === 'yes-no') return field.value === 'true' ? 'Yes' : 'No'
  if (field.kind === 'time') {
    const time = parseTime(field.value)
    return time === null ? field.value : localDateTime(time)
  }
  return field.value
}

const STATUS_LABELS: Record<AccountStatus, string> = {
  'signed-in': 'Signed in',
  refreshing: 'Refreshing',
  'needs-attention': 'Needs attention',
  'signed-out': 'Signed out',
}

export function statusLabel(status: AccountStatus): string {
  return STATUS_LABELS[status]
}

export function storageText(storage: StorageState): string {
  return storage === 'keychain'
    ? 'Stored in the system keychain'
    : 'Memory only — this session ends when Latchkey quits'
}

/** JWT claims that hold seconds since the epoch. */
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at'])

/** One decoded claim as text: times also as a local date, objects as JSON. */
export function claimText(key: string, value: unknown): string {
  if (TIME_CLAIMS.has(key) && typeof value === 'number') {
    // 0 is what some servers send for a time they do not know (auth_time): not 1970.
    if (value <= 0) return `${value} (not given)`
    return `${value} (${localDateTime(value * SECOND)})`
  }
  if (typeof value === 'string') return value
  return JSON.stringify(value, null, 2)
}
