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

/** UTC as `Date.toISOString()` writes it, with a real date: a narrower form than the schema's `date-time`. */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/

function isTime(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const match = ISO_UTC.exec(value)
  if (!match) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
