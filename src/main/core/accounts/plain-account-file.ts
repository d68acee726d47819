/**
 * The common case of reading an account file, without the schema library: a file holding exactly
 * the fields this version writes, each of the right type, is taken as it is (what the schema's parse
 * would return, field for field). Anything else (a field of another version, a wrong type) returns
 * undefined and goes to the schema in account-store.ts, which strips, refuses and explains as
 * before. At 10,000 accounts the schema's parse was a third of reading the files at start-up.
 */
import { isAccountRecord, type RecordRules } from '../settings/account-record-check.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { recordPartOf } from './account-file.ts'

const RULES: RecordRules = { time: (value) => typeof value === 'string', onlyKnownFields: true }

/** A file's record and sealed secrets (see account-file.ts) when they are plainly as this version writes them; undefined otherwise. */
export function plainParts(parts: { account: unknown; sealed: unknown }): { account: AccountRecord | null; sealed: string | null } | undefined {
  const { account, sealed } = parts
  if (!(sealed === null || typeof sealed === 'string')) return undefined
  if (account === null) return { account: null, sealed }
  return isAccountRecord(account, RULES) ? { account: account as AccountRecord, sealed } : undefined
}

/**
 * The same from a file's checked bytes (see AccountFiles.readAllChecked): the record parsed alone,
 * and whether sealed secrets follow it; undefined when the bytes are not plainly as this version
 * writes them (they are then read as text, and parsed or refused as before).
 */
export function plainRecordOf(bytes: Buffer): { account: AccountRecord | null; sealed: boolean } | undefined {
  const part = recordPartOf(bytes)
  if (!part) return undefined
  let account: unknown
  try {
    account = JSON.parse(part.account)
  } catch {
    return undefined
  }
  if (account === null) return { account: null, sealed: part.sealed }
  return isAccountRecord(account, RULES) ? { account: account as AccountRecord, sealed: part.sealed } : undefined
}
