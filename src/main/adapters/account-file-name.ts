/**
 * The name of an account's file in the accounts folder (`<id>.json`, or `x-<base64url of id>.json`
 * for an id that is not safe as a file name), and the id a name stands for. No imports: the
 * `latchkey` command reads account files by these names too.
 */
export const ACCOUNT_FILE_SUFFIX = '.json'
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/
const ENCODED = 'x-'

export function accountFileName(id: string): string {
  return (SAFE_ID.test(id) && !id.startsWith(ENCODED) ? id : ENCODED + Buffer.from(id, 'utf8').toString('base64url')) + ACCOUNT_FILE_SUFFIX
}

/** The id of a file's base name (without the suffix), or null when the name is not an account's. */
export function accountIdOf(base: string): string | null {
  if (base.startsWith(ENCODED)) return Buffer.from(base.slice(ENCODED.length), 'base64url').toString('utf8') || null
  return SAFE_ID.test(base) ? base : null
}
