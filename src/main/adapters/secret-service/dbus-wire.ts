/**
 * The D-Bus wire format, as much as reading one secret from the Secret Service needs: method calls
 * written (header fields, strings, object paths, signatures, arrays, dict entries, variants) and
 * replies read by their signature, in either byte order. Node built-ins only: the `latchkey`
 * command reads the keychain with it instead of loading libsecret (and GLib) through keytar.
 *
 * Spec: https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol-marshaling
 */

export const MESSAGE = { call: 1, reply: 2, error: 3, signal: 4 } as const

/** Header field codes. */
const FIELD = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, signature: 8 } as const

/** A little-endian writer that pads to each value's alignment (relative to the message's start). */
export class WireWriter {
  #bytes = Buffer.alloc(256)
  #length = 0

  get length(): number {
    return this.#length
  }

  #room(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return
    const grown = Buffer.alloc(Math.max(this.#bytes.length * 2, this.#length + extra))
    this.#bytes.copy(grown, 0, 0, this.#length)
    this.#bytes = grown
  }

  align(to: number): this {
    const padding = (to - (this.#length % to)) % to
    this.#room(padding)
    this.#bytes.fill(0, this.#length, this.#length + padding)
    this.#length += padding
    return this
  }

  byte(value: number): this {
    this.#room(1)
    this.#bytes[this.#length++] = value
    return this
  }

  u32(value: number): this {
    this.align(4)
    this.#room(4)
    this.#bytes.writeUInt32LE(value, this.#length)
    this.#length += 4
    return this
  }

  #raw(bytes: Buffer): this {
    this.#room(bytes.length)
    bytes.copy(this.#bytes, this.#length)
    this.#length += bytes.length
    return this
  }

  /** A string or object path: length, UTF-8, a nul. */
  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8')
    return this.u32(bytes.length).#raw(bytes).byte(0)
  }

  signature(value: string): this {
    return this.byte(value.length).#raw(Buffer.from(value, 'latin1')).byte(0)
  }

  /** An array: its byte length, padding to the elements' alignment (not counted), the elements. */
  array(elementAlign: number, elements: () => void): this {
    this.u32(0)
    const lengthAt = this.#length - 4
    this.align(elementAlign)
    const start = this.#length
    elements()
    this.#bytes.writeUInt32LE(this.#length - start, lengthAt)
    return this
  }

  bytes(value: Buffer): this {
    return this.u32(value.length).#raw(value)
  }

  done(): Buffer {
    return this.#bytes.subarray(0, this.#length)
  }
}

export interface Call {
  serial: number
  destination: string
  path: string
  interface: string
  member: string
  /** The body's signature and a writer for it (on a writer whose offset 0 is the body's start). */
  signature?: string
  body?: (writer: WireWriter) => void
}

/** One method call, little-endian, ready to send. */
export function methodCall(call: Call): Buffer {
  const body = new WireWriter()
  call.body?.(body)
  const header = new WireWriter()
  header.byte(0x6c).byte(MESSAGE.call).byte(0).byte(1).u32(body.length).u32(call.serial)
  const field = (code: number, type: string, write: () => void) => {
    header.align(8).byte(code).signature(type)
    write()
  }
  header.array(8, () => {
    field(FIELD.path, 'o', () => header.string(call.path))
    field(FIELD.interface, 's', () => header.string(call.interface))
    field(FIELD.member, 's', () => header.string(call.member))
    field(FIELD.destination, 's', () => header.string(call.destination))
    if (call.signature) field(FIELD.signature, 'g', () => header.signature(call.signature ?? ''))
  })
  header.align(8)
  return Buffer.concat([header.done(), body.done()])
}

export type WireValue = number | bigint | boolean | string | Buffer | WireValue[] | { signature: string; value: WireValue }

export interface Message {
  type: number
  serial: number
  replySerial: number | null
  errorName: string | null
  signature: string
  body: WireValue[]
}

/** A message's total length once its first 16 bytes are in, else null. */
export function messageLength(buffer: Buffer): number | null {
  if (buffer.length < 16) return null
  const little = buffer[0] === 0x6c
  const bodyLength = little ? buffer.readUInt32LE(4) : buffer.readUInt32BE(4)
  const fieldsLength = little ? buffer.readUInt32LE(12) : buffer.readUInt32BE(12)
  const headerEnd = 16 + fieldsLength
  return headerEnd + ((8 - (headerEnd % 8)) % 8) + bodyLength
}

/** Reads one whole message (messageLength bytes). Throws on anything malformed. */
export function readMessage(buffer: Buffer): Message {
  const endian = buffer[0]
  if (endian !== 0x6c && endian !== 0x42) throw new Error('not a D-Bus message')
  const reader = new WireReader(buffer, endian === 0x6c)
  reader.offset = 1
  const type = reader.value('y') as number
  reader.value('y')
  reader.value('y')
  reader.value('u')
  const serial = reader.value('u') as number
  const fields = reader.value('a(yv)') as [number, { value: WireValue }][]
  reader.align(8)
  const field = (code: number): WireValue | undefined => fields.find(([c]) => c === code)?.[1].value
  const signature = (field(FIELD.signature) as string | undefined) ?? ''
  const body: WireValue[] = []
  for (const type of splitSignature(signature)) body.push(reader.value(type))
  const replySerial = field(FIELD.replySerial)
  const errorName = field(FIELD.errorName)
  return { type, serial, replySerial: typeof replySerial === 'number' ? replySerial : null, errorName: typeof errorName === 'string' ? errorName : null, signature, body }
}

/** The complete types of a signature: 'a{sv}ao' → ['a{sv}', 'ao']. */
export function splitSignature(signature: string): string[] {
  const types: string[] = []
  for (let i = 0; i < signature.length; ) {
    const end = completeTypeEnd(signature, i)
    types.push(signature.slice(i, end))
    i = end
  }
  return types
}

function completeTypeEnd(signature: string, start: number): number {
  const code = signature[start]
  if (code === 'a') return completeTypeEnd(signature, start + 1)
  if (code === '(' || code === '{') {
    const close = code === '(' ? ')' : '}'
    let i = start + 1
    while (signature[i] !== close) {
      if (i >= signature.length) throw new Error(`bad signature ${signature}`)
      i = completeTypeEnd(signature, i)
    }
    return i + 1
  }
  if (code === undefined || !'ybnqiuxtdsogvh'.includes(code)) throw new Error(`bad signature ${signature}`)
  return start + 1
}

const ALIGN: Record<string, number> = { y: 1, g: 1, v: 1, n: 2, q: 2, b: 4, i: 4, u: 4, h: 4, s: 4, o: 4, a: 4, x: 8, t: 8, d: 8, '(': 8, '{': 8 }

class WireReader {
  offset = 0
  readonly #buffer: Buffer
  readonly #little: boolean

  constructor(buffer: Buffer, little: boolean) {
    this.#buffer = buffer
    this.#little = little
  }

  align(to: number): void {
    this.offset += (to - (this.offset % to)) % to
  }

  #u32(): number {
    this.align(4)
    const value = this.#little ? this.#buffer.readUInt32LE(this.offset) : this.#buffer.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }

  #take(length: number): Buffer {
    if (this.offset + length > this.#buffer.length) throw new Error('D-Bus message cut short')
    const bytes = this.#buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return bytes
  }

  value(type: string): WireValue {
    const code = type[0] ?? ''
    this.align(ALIGN[code] ?? 1)
    switch (code) {
      case 'y':
        return this.#take(1)[0] ?? 0
      case 'b':
        return this.#u32() !== 0
      case 'n':
      case 'q': {
        const bytes = this.#take(2)
        const value = this.#little ? bytes.readUInt16LE(0) : bytes.readUInt16BE(0)
        return code === 'n' && value > 0x7fff ? value - 0x10000 : value
      }
      case 'i':
        return this.#u32() | 0
      case 'u':
      case 'h':
        return this.#u32()
      case 'x':
      case 't':
      case 'd': {
        const bytes = this.#take(8)
        if (code === 'd') return this.#little ? bytes.readDoubleLE(0) : bytes.readDoubleBE(0)
        if (code === 'x') return this.#little ? bytes.readBigInt64LE(0) : bytes.readBigInt64BE(0)
        return this.#little ? bytes.readBigUInt64LE(0) : bytes.readBigUInt64BE(0)
      }
      case 's':
      case 'o': {
        const length = this.#u32()
        const text = this.#take(length).toString('utf8')
        this.#take(1)
        return text
      }
      case 'g': {
        const length = this.#take(1)[0] ?? 0
        const text = this.#take(length).toString('latin1')
        this.#take(1)
        return text
      }
      case 'v': {
        const signature = this.value('g') as string
        return { signature, value: this.value(signature) }
      }
      case 'a': {
        const length = this.#u32()
        const element = type.slice(1)
        this.align(ALIGN[element[0] ?? ''] ?? 1)
        if (element === 'y') return Buffer.from(this.#take(length))
        const end = this.offset + length
        const items: WireValue[] = []
        while (this.offset < end) items.push(this.value(element))
        return items
      }
      case '(':
      case '{':
        return splitSignature(type.slice(1, -1)).map((member) => this.value(member))
      default:
        throw new Error(`D-Bus type ${type} not read here`)
    }
  }
}
