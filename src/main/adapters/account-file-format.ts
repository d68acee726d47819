/**
 * The layout of an account file (`<id>.json` in the accounts folder): a header written once when
 * the file is made, then two slots of a fixed capacity, each holding one version of the account's
 * JSON text with a sequence number, its length and a CRC-32 of both. A write fills the slot that
 * does not hold the newest version, in place, so it needs no new file and no rename; a write cut
 * short (the process killed mid-write, a power cut) leaves a slot whose checksum does not match,
 * and the reader takes the other, whole one. A text too long for a slot makes a new file.
 *
 *     LATCHKEY-ACCOUNT 2 <capacity, 10 digits>\n              (HEADER_BYTES)
 *     <seq, 16 hex> <length, 8 hex> <crc, 8 hex>\n<text>…     (slot 0, `capacity` bytes)
 *     <seq, 16 hex> <length, 8 hex> <crc, 8 hex>\n<text>…     (slot 1, `capacity` bytes)
 *
 * Files of versions before this layout are the JSON text alone; they are read as they are and
 * take this layout at their next write. No imports: the `latchkey` command reads account files
 * too, and it passes no CRC function (loading zlib would cost it more than checking one file).
 */
const MAGIC = 'LATCHKEY-ACCOUNT 2 '
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1')
export const HEADER_BYTES = MAGIC.length + 10 + 1
/** `<seq> <length> <crc>\n`: what the CRC covers is everything before `<crc>`, then the text. */
export const SLOT_HEADER_BYTES = 16 + 1 + 8 + 1 + 8 + 1
const COVERED_HEADER_BYTES = 16 + 1 + 8 + 1

export type Crc32 = (data: Uint8Array, value?: number) => number

/** One whole version found in a file. */
export interface Slotted {
  text: string
  /** Which slot holds it (0 or 1), and its sequence number: a write goes to the other slot with seq + 1. */
  slot: number
  seq: number
  capacity: number
}

/** A file's newest whole text: in a slot, or a file from before slots (`legacy`). Null: no whole version. */
export type Decoded = ({ legacy: false } & Slotted) | { legacy: true; text: string } | null

/** Room for `length` bytes of text with space to grow (records change size a little between writes). */
export function capacityFor(length: number): number {
  const wanted = SLOT_HEADER_BYTES + length + Math.max(256, Math.ceil(length / 4))
  return Math.ceil(wanted / 256) * 256
}

/** A whole new file: the header and slot 0 holding `text` (seq 1); slot 1 empty. */
export function newFileBytes(text: Uint8Array, capacity: number, crc32: Crc32 = jsCrc32): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES + 2 * capacity)
  bytes.write(`${MAGIC}${String(capacity).padStart(10, '0')}\n`, 0, 'latin1')
  slotBytes(1, text, crc32).copy(bytes, HEADER_BYTES)
  return bytes
}

/** One slot's bytes: its header then the text. */
export function slotBytes(seq: number, text: Uint8Array, crc32: Crc32 = jsCrc32): Buffer {
  const bytes = Buffer.allocUnsafe(SLOT_HEADER_BYTES + text.length)
  bytes.set(text, SLOT_HEADER_BYTES)
  return slotAround(seq, bytes, crc32)
}

/** `bytes` made one slot: they hold the text after SLOT_HEADER_BYTES, and the header is written before it (digit by digit: no strings). */
export function slotAround(seq: number, bytes: Buffer, crc32: Crc32 = jsCrc32): Buffer {
  putHex(bytes, 0, 16, seq)
  bytes[16] = SPACE
  putHex(bytes, 17, 8, bytes.length - SLOT_HEADER_BYTES)
  bytes[25] = SPACE
  const crc = crc32(bytes.subarray(SLOT_HEADER_BYTES), crc32(bytes.subarray(0, COVERED_HEADER_BYTES)))
  putHex(bytes, 26, 8, crc)
  bytes[34] = NEWLINE
  return bytes
}

export function slotOffset(slot: number, capacity: number): number {
  return HEADER_BYTES + slot * capacity
}

/** The newest whole version in a file's bytes. */
export function decodeAccountFile(bytes: Buffer, crc32: Crc32 = jsCrc32): Decoded {
  const found = newestSlot(bytes, crc32)
  if (found === 'legacy') return { legacy: true, text: bytes.toString('utf8') }
  if (!found) return null
  return { legacy: false, text: bytes.toString('utf8', found.start, found.end), slot: found.slot, seq: found.seq, capacity: found.capacity }
}

/** Where a file's newest whole version is: its slot, sequence number and capacity, and the bytes of its text (start to end). */
export interface FoundSlot {
  slot: number
  seq: number
  capacity: number
  start: number
  end: number
}

/**
 * The newest whole version in a file's bytes, found without making a string or a view of them
 * (a start looks in 10,000 files): 'legacy' for a file from before slots, null when none is whole.
 */
export function newestSlot(bytes: Buffer, crc32: Crc32 = jsCrc32): FoundSlot | 'legacy' | null {
  if (bytes.length < HEADER_BYTES || bytes.compare(MAGIC_BYTES, 0, MAGIC_BYTES.length, 0, MAGIC_BYTES.length) !== 0) return 'legacy'
  const capacity = capacityOf(bytes)
  if (capacity <= SLOT_HEADER_BYTES) return null
  const first = headerAt(bytes, slotOffset(0, capacity), 0, capacity)
  const second = headerAt(bytes, slotOffset(1, capacity), 1, capacity)
  // The newer one first; the other only when the newer one is not whole.
  const [newer, older] = (second?.seq ?? -1) > (first?.seq ?? -1) ? [second, first] : [first, second]
  for (const found of [newer, older]) {
    if (!found) continue
    const start = slotOffset(found.slot, capacity)
    if (isWhole(bytes, start, found, crc32)) return { slot: found.slot, seq: found.seq, capacity, start: start + SLOT_HEADER_BYTES, end: start + SLOT_HEADER_BYTES + found.length }
  }
  return null
}

/** The file's slot capacity as its header says (0: not a number). */
export function capacityOf(bytes: Buffer): number {
  let capacity = 0
  for (let i = MAGIC.length; i < HEADER_BYTES - 1; i++) {
    const digit = (bytes[i] ?? 0) - 0x30
    if (digit < 0 || digit > 9) return 0
    capacity = capacity * 10 + digit
  }
  return capacity
}

/**
 * The text of one slot read on its own (`bytes` start where the slot does), when it is whole and
 * holds version `seq`; else null (the caller then reads the whole file).
 */
export function slotText(bytes: Buffer, slot: number, seq: number, capacity: number, crc32: Crc32 = jsCrc32): string | null {
  const found = headerAt(bytes, 0, slot, capacity)
  return found && found.seq === seq ? wholeText(bytes, 0, found, crc32) : null
}

/** The text a reader gets from a file's bytes: the newest whole version, or '' (reported as damaged). */
export function newestVersionText(bytes: Buffer, crc32: Crc32 = jsCrc32): string {
  return decodeAccountFile(bytes, crc32)?.text ?? ''
}

interface SlotHeader {
  slot: number
  seq: number
  length: number
  crc: number
}

/**
 * The header of the slot that starts at `start` in `bytes` (`<seq, 16 hex> <length, 8 hex> <crc, 8
 * hex>\n`, lowercase), when it is one and its text is all there. Read byte by byte: no strings.
 */
function headerAt(bytes: Buffer, start: number, slot: number, capacity: number): SlotHeader | null {
  if (bytes.length < start + SLOT_HEADER_BYTES) return null
  if (bytes[start + 16] !== SPACE || bytes[start + 25] !== SPACE || bytes[start + 34] !== NEWLINE) return null
  const seq = hexAt(bytes, start, 16)
  const length = hexAt(bytes, start + 17, 8)
  const crc = hexAt(bytes, start + 26, 8)
  if (seq < 0 || length < 0 || crc < 0) return null
  if (SLOT_HEADER_BYTES + length > capacity || bytes.length < start + SLOT_HEADER_BYTES + length) return null
  return { slot, seq, length, crc }
}

const SPACE = 0x20
const NEWLINE = 0x0a
/** The lowercase hex digits' character codes. */
const HEX_DIGITS = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]

/** The number the `digits` lowercase hex digits at `at` spell, or -1 when one of them is not [0-9a-f]. */
function hexAt(bytes: Buffer, at: number, digits: number): number {
  let value = 0
  for (let i = at; i < at + digits; i++) {
    const code = bytes[i] ?? 0
    const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

/** `value` (a whole number, at most 2^53) as `digits` lowercase hex digits at `at`, zero-padded. */
function putHex(bytes: Buffer, at: number, digits: number, value: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    bytes[i] = HEX_DIGITS[value % 16] ?? 0x30
    value = Math.floor(value / 16)
  }
}

/** The slot's text when its checksum matches, else null. */
function wholeText(bytes: Buffer, start: number, found: SlotHeader, crc32: Crc32): string | null {
  return isWhole(bytes, start, found, crc32) ? bytes.toString('utf8', start + SLOT_HEADER_BYTES, start + SLOT_HEADER_BYTES + found.length) : null
}

/** Whether the slot that starts at `start` matches its checksum (the header's part of it computed here: 26 bytes, no view of them). */
function isWhole(bytes: Buffer, start: number, found: SlotHeader, crc32: Crc32): boolean {
  const text = bytes.subarray(start + SLOT_HEADER_BYTES, start + SLOT_HEADER_BYTES + found.length)
  return crc32(text, jsCrc32(bytes, 0, start, start + COVERED_HEADER_BYTES)) === found.crc
}

/** CRC-32 of each half byte (zlib's polynomial, reflected): 16 entries need no table to be built first. */
const NIBBLE_TABLE = new Int32Array([
  0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
  0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
])

/**
 * CRC-32 (the same as zlib's), for the command line, which checks one file. Half a byte at a time
 * with an indexed loop: it runs once per process, mostly before the code is optimised, where
 * building a 256-entry table and iterating the bytes (for…of) cost the command several milliseconds.
 * `from` and `to`: a part of `data`, without a view of it (a slot header's checksum, at every read).
 */
export function jsCrc32(data: Uint8Array, value = 0, from = 0, to = data.length): number {
  let crc = ~value
  for (let i = from; i < to; i++) {
    crc ^= data[i] ?? 0
    crc = (NIBBLE_TABLE[crc & 0x0f] ?? 0) ^ (crc >>> 4)
    crc = (NIBBLE_TABLE[crc & 0x0f] ?? 0) ^ (crc >>> 4)
  }
  return ~crc >>> 0
}
