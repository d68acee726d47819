/**
 * The common case of reading an account file, without the schema library: a file holding exactly
 * the fields this version writes, each of the right type, is taken as it is (what the schema's parse
 * would return, field for field). Anything else (a field of another version, a wrong type) returns
 * undefined and goes to the schema in account-store.ts, which strips, refuses and explains as
 * before. At 10,000 accounts the schema's parse was a third of reading the files at start-up.
 */
import { isAccountRecord, type RecordRules } from '../settings/account-record-check.ts'
import type { AccountRecord } from '../settings/schema.ts'

const RULES: RecordRules = { time: (value) => typeof value === 'string', onlyKnownFields: true }

/** A file's record and sealed secrets (see account-file.ts) when they are plainly as this version writes them; undefined otherwise. */
export function plainParts(parts: { account: unknown; sealed: unknown }): { account: AccountRecord | null; sealed: string | null } | undefined {
  const { account, sealed } = parts
  if (!(sealed === null || typeof sealed === 'string')) return undefined
  if (account === null) return { account: null, sealed }
  return isAccountRecord(account, RULES) ? { account: account as AccountRecord, sealed } : undefined
}
