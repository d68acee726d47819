/**
 * The format of an account's own file, `{ v: 1, account, sealed }`: its newest settings record and
 * its sealed secrets. Read here by everything that reads one (AccountStore, which also checks the
 * record against its schema, and the `latchkey` command answering by itself); no imports.
 */

export const ACCOUNT_FILE_VERSION = 1

/** The JSON text of the file for this record and these sealed secrets (AccountFiles lays it out on disk). */
export function accountFileJson(account: unknown, sealed: string | null): string {
  return JSON.stringify({ v: ACCOUNT_FILE_VERSION, account, sealed })
}

/** The record (unchecked) and sealed secrets a file holds, or why it is not an account file. */
export function accountFileParts(text: string): { account: unknown; sealed: unknown } | string {
  let json: { v?: unknown; account?: unknown; sealed?: unknown } | null
  try {
    json = JSON.parse(text) as typeof json
  } catch {
    return 'The file is not valid JSON (it may have been cut short or edited by hand).'
  }
  if (typeof json !== 'object' || json === null || json.v !== ACCOUNT_FILE_VERSION) return SHAPE
  return { account: json.account, sealed: json.sealed }
}

export const SHAPE = 'The file does not have the shape this version of Latchkey expects.'

/** Whether a file's record (when it has one) is account `id`'s. */
export function isOwnRecord(id: string, account: unknown): boolean {
  return !account || (account as { id?: unknown }).id === id
}

/**
 * Just the sealed secrets of a file whose record was already read and checked; undefined when the
 * file is not one.
 */
export function sealedIn(id: string, text: string): string | null | undefined {
  const parts = accountFileParts(text)
  if (typeof parts === 'string' || !isOwnRecord(id, parts.account)) return undefined
  return typeof parts.sealed === 'string' || parts.sealed === null ? parts.sealed : undefined
}
