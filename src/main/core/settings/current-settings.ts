/**
 * A quick check of a settings file that this version wrote: a start reads it once and uses it as
 * it is when it is current (no migration to run) and every value is one SETTINGS_SCHEMA accepts.
 * Anything else (an older version, a field it cannot vouch for, a time written in another way) is
 * left to conf or electron-store, which migrate, validate and, where a file cannot be used, have it
 * moved aside. So the check may refuse more than the schema does, never less: conf opens the file
 * later for the first write, and must accept what was used. Plain code rather than a schema
 * library: at 10,000 accounts conf read, compared, copied and validated the 4 MB file several times
 * over, which was most of a start.
 */
import { isObject } from '../json-object.ts'
import { isAccountRecord, type RecordRules } from './account-record-check.ts'
import { SETTINGS_PROJECT_VERSION, type AccountRecord, type SettingsData } from './schema.ts'

/** Fields of a later version are the schema's to allow (it does); times only in the form Latchkey writes. */
const RULES: RecordRules = { time: isTime, onlyKnownFields: false }

/** The settings in a parsed file, when it is current and valid as they are; null otherwise. */
export function currentSettings(json: unknown): SettingsData | null {
  if (!isObject(json)) return null
  const internal = json['__internal__']
  const migrations = isObject(internal) ? internal['migrations'] : undefined
  if (!isObject(migrations) || migrations['version'] !== SETTINGS_PROJECT_VERSION) return null
  const { accounts, activeAccountId } = json
  if (!Array.isArray(accounts) || !(activeAccountId === null || typeof activeAccountId === 'string')) return null
  for (const account of accounts as unknown[]) if (!isAccount(account)) return null
  return { accounts: accounts as SettingsData['accounts'], activeAccountId }
}

/** One account record as this version writes it, by the settings file's rules (also trusted for an account's own file). */
export function isAccount(value: unknown): value is AccountRecord {
  return isAccountRecord(value, RULES)
}

/**
 * UTC as `Date.toISOString()` writes it (`YYYY-MM-DDTHH:MM:SS`, a fraction of 1 to 9 digits or
 * none, `Z`), with a real date: a narrower form than the schema's `date-time`. Read character by
 * character, with no match made: a start of 10,000 accounts checks 30,000 of them.
 */
function isTime(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const length = value.length
  if (length < 20 || length > 30 || value.charCodeAt(length - 1) !== Z) return false
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH || value.charCodeAt(10) !== T || value.charCodeAt(13) !== COLON || value.charCodeAt(16) !== COLON) return false
  const year = digitsAt(value, 0, 4)
  const month = digitsAt(value, 5, 2)
  const day = digitsAt(value, 8, 2)
  const hour = digitsAt(value, 11, 2)
  const minute = digitsAt(value, 14, 2)
  const second = digitsAt(value, 17, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false
  // No fraction, or a dot and 1 to 9 digits.
  return length === 20 || (length >= 22 && value.charCodeAt(19) === DOT && digitsAt(value, 20, length - 21) >= 0)
}

const DASH = 0x2d
const COLON = 0x3a
const DOT = 0x2e
const T = 0x54
const Z = 0x5a

/** The number the `count` ASCII digits at `at` spell, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
