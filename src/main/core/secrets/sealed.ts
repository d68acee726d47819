/**
 * Sealing one account's secrets with the vault key: AES-256-GCM, a fresh 96-bit nonce for every
 * write, the account id as authenticated data (a record copied onto another account does not
 * open). Text form: `v1.` + base64url(nonce ‖ ciphertext ‖ tag).
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto'

const VERSION = 'v1.'
const NONCE_BYTES = 12
const TAG_BYTES = 16
export const VAULT_KEY_BYTES = 32

/** A new random vault key, as the text kept in the keychain. */
export function newVaultKey(): string {
  return randomBytes(VAULT_KEY_BYTES).toString('base64url')
}

/**
 * The key, or null when the keychain item is not a vault key. A KeyObject: a raw Buffer would be
 * checked and wrapped again by every cipher made with it (half the cost of sealing one record).
 */
export function parseVaultKey(text: string): KeyObject | null {
  const key = Buffer.from(text, 'base64url')
  return key.length === VAULT_KEY_BYTES && key.toString('base64url') === text ? createSecretKey(key) : null
}

/**
 * Nonces come from a pool of random bytes filled 4 KiB at a time (one call to the system's
 * generator per 341 seals instead of one each: it was a third of the cost of sealing). Each part
 * of the pool is used once; a spent pool is replaced, never refilled in place.
 */
const POOL_BYTES = NONCE_BYTES * 341
let pool = Buffer.alloc(0)
let taken = 0

function freshNonce(): Buffer {
  if (taken + NONCE_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES)
    taken = 0
  }
  taken += NONCE_BYTES
  return pool.subarray(taken - NONCE_BYTES, taken)
}

export function seal(key: KeyObject, accountId: string, plaintext: string): string {
  const nonce = freshNonce()
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(accountId, 'utf8'))
  const body = whole(cipher.update(plaintext, 'utf8'), cipher.final())
  const raw = Buffer.allocUnsafe(NONCE_BYTES + body.length + TAG_BYTES)
  raw.set(nonce, 0)
  raw.set(body, NONCE_BYTES)
  raw.set(cipher.getAuthTag(), NONCE_BYTES + body.length)
  return VERSION + raw.toString('base64url')
}

/** The plaintext, or null when the record was changed, belongs to another account, or was sealed with another key. */
export function open(key: KeyObject, accountId: string, sealed: string): string | null {
  return decrypt(key, accountId, sealed)?.toString('utf8') ?? null
}

/** Whether the record opens (as `open`), without making a string of what it holds. */
export function opens(key: KeyObject, accountId: string, sealed: string): boolean {
  const plain = decrypt(key, accountId, sealed)
  plain?.fill(0)
  return plain !== null
}

function decrypt(key: KeyObject, accountId: string, sealed: string): Buffer | null {
  if (!sealed.startsWith(VERSION)) return null
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url')
  if (raw.length < NONCE_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(accountId, 'utf8'))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    // `final` checks the tag: it throws when the record was changed, is another account's, or another key's.
    return whole(decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final())
  } catch {
    return null
  }
}

/** What `update` gave and what `final` added (GCM, a stream mode, adds nothing: no copy then). */
function whole(updated: Buffer, final: Buffer): Buffer {
  return final.length === 0 ? updated : Buffer.concat([updated, final])
}
