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
  const last = sealedLast(text)
  if (last !== undefined) return last
  const parts = accountFileParts(text)
  if (typeof parts === 'string' || !isOwnRecord(id, parts.account)) return undefined
  return typeof parts.sealed === 'string' || parts.sealed === null ? parts.sealed : undefined
}

const LEAD = `{"v":${String(ACCOUNT_FILE_VERSION)},"account":`
const SEALED_NONE = ',"sealed":null}'
const SEALED_KEY = ',"sealed":"'
const LEAD_BYTES = Buffer.from(LEAD, 'latin1')
const SEALED_NONE_BYTES = Buffer.from(SEALED_NONE, 'latin1')
const SEALED_MEMBER_BYTES = Buffer.from(',"sealed":', 'latin1')
const QUOTE = 0x22
const BACKSLASH = 0x5c
const CLOSE_BRACE = 0x7d

/**
 * The record's JSON text, and whether sealed secrets follow it, in the UTF-8 bytes of a file as
 * accountFileJson writes them (the sealed secrets last: null, or a string with nothing escaped in
 * it), found without a string of the sealed secrets (two thirds of a file) or of the whole text;
 * undefined for any other bytes, which are then read as text. For bytes that passed their file's
 * checksum, so written whole by accountFileJson: what the sealed secrets hold is checked when they
 * are read (sealedIn).
 */
export function recordPartOf(bytes: Buffer): { account: string; sealed: boolean } | undefined {
  const end = bytes.length
  if (end <= LEAD_BYTES.length + SEALED_NONE_BYTES.length || bytes[end - 1] !== CLOSE_BRACE) return undefined
  if (bytes.compare(LEAD_BYTES, 0, LEAD_BYTES.length, 0, LEAD_BYTES.length) !== 0) return undefined
  const at = bytes.lastIndexOf(SEALED_MEMBER_BYTES)
  if (at < LEAD_BYTES.length) return undefined
  const value = at + SEALED_MEMBER_BYTES.length
  let sealed: boolean
  if (end - at === SEALED_NONE_BYTES.length && bytes.compare(SEALED_NONE_BYTES, 0, SEALED_NONE_BYTES.length, at, end) === 0) sealed = false
  else if (bytes[value] === QUOTE && bytes.indexOf(QUOTE, value + 1) === end - 2 && bytes.indexOf(BACKSLASH, value) < 0) sealed = true
  else return undefined
  return { account: bytes.toString('utf8', LEAD_BYTES.length, at), sealed }
}
/** Sealed text (see sealed.ts): a version, then base64url; nothing JSON would escape. */
const SEALED_TEXT = /^v\d+\.[A-Za-z0-9_-]*$/

/**
 * The sealed secrets of a file as accountFileJson writes it, where they are the last member, read
 * without parsing the record (a refresh reads them for every renewal); undefined for any other
 * text, which is then parsed. The record's id is not checked here: the sealed secrets are bound to
 * their account id (it is their authenticated data), so another account's do not open.
 */
function sealedLast(text: string): string | null | undefined {
  if (!text.startsWith(LEAD)) return undefined
  if (text.endsWith(SEALED_NONE)) return null
  if (!text.endsWith('"}')) return undefined
  const at = text.lastIndexOf(SEALED_KEY)
  if (at < 0) return undefined
  const sealed = text.slice(at + SEALED_KEY.length, -2)
  return SEALED_TEXT.test(sealed) ? sealed : undefined
}
