/** PocketBase's random strings (security.RandomString…), from node:crypto. */
import { createHash, randomBytes, randomInt } from 'node:crypto'

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789'

export function randomString(length: number, alphabet = ALPHANUMERIC): string {
  let result = ''
  for (let index = 0; index < length; index++) result += alphabet.charAt(randomInt(alphabet.length))
  return result
}

/** A PocketBase record, OTP or MFA id: 15 characters a-z0-9 (core.GenerateDefaultRandomId). */
export function randomId(): string {
  return randomString(15, LOWER_ALPHANUMERIC)
}

/** A BosBase record, OTP or MFA id: a UUIDv7 (RFC 9562), its first 48 bits the time in milliseconds. */
export function uuidV7(now: number): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f)
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  const hex = bytes.toString('hex')
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-')
}

/**
 * The fixed BosBase id of a person who has a fixed PocketBase id (demo and test people): a UUIDv7
 * whose random part comes from that id, so they are the same record on every start on either server.
 */
export function fixedUuidV7(pocketbaseId: string): string {
  const hex = createHash('sha256').update(pocketbaseId).digest('hex')
  return `01900000-0000-7${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex.slice(6, 18)}`
}

const POCKETBASE_ID = /^[a-z0-9]{15}$/
/** BosBase's id field pattern (core/collection_model.go defaultRecordIdPattern). */
const BOSBASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Makes and checks record ids in the form the server makes them. */
export interface RecordIds {
  next(): string
  /** Throws, as the server refuses a record with such an id, when `id` is not in that form. */
  check(id: string): string
}

export function recordIds(uuid: boolean, now: () => number): RecordIds {
  const form = uuid ? BOSBASE_ID : POCKETBASE_ID
  return {
    next: () => (uuid ? uuidV7(now()) : randomId()),
    check: (id) => {
      if (!form.test(id)) throw new Error(`"${id}" is not a record id of this server (${uuid ? "BosBase's are UUIDv7s" : "PocketBase's are 15 characters a-z0-9"}).`)
      return id
    },
  }
}

export function randomDigits(length: number): string {
  return randomString(length, '0123456789')
}
