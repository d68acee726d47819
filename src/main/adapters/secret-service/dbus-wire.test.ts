import { describe, expect, it } from 'vitest'
import { MESSAGE, messageLength, methodCall, readMessage, splitSignature } from './dbus-wire.ts'

describe('the D-Bus wire format', () => {
  it('writes a method call the reader takes back: header fields, signature and body', () => {
    const bytes = methodCall({
      serial: 7,
      destination: 'org.freedesktop.secrets',
      path: '/org/freedesktop/secrets',
      interface: 'org.freedesktop.Secret.Service',
      member: 'SearchItems',
      signature: 'a{ss}',
      body: (w) =>
        w.array(8, () => {
          w.align(8).string('service').string('Latchkey Dev')
          w.align(8).string('account').string('vault-key:/tmp/ä')
        }),
    })
    expect(messageLength(bytes)).toBe(bytes.length)
    expect(messageLength(bytes.subarray(0, 15))).toBeNull()
    const message = readMessage(bytes)
    expect(message).toMatchObject({ type: MESSAGE.call, serial: 7, replySerial: null, signature: 'a{ss}' })
    expect(message.body).toEqual([
      [
        ['service', 'Latchkey Dev'],
        ['account', 'vault-key:/tmp/ä'],
      ],
    ])
  })

  it('writes a variant holding bytes, and an empty body without a signature', () => {
    const key = Buffer.from([0, 1, 2, 255])
    const call = readMessage(methodCall({ serial: 2, destination: 'd.e', path: '/p', interface: 'i.j', member: 'OpenSession', signature: 'sv', body: (w) => w.string('plain').signature('ay').bytes(key) }))
    expect(call.body).toEqual(['plain', { signature: 'ay', value: key }])
    const hello = readMessage(methodCall({ serial: 1, destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' }))
    expect(hello).toMatchObject({ serial: 1, signature: '', body: [] })
  })

  it('reads a big-endian reply with its reply serial, and an error with its name', () => {
    // A reply to serial 3 carrying (ao, ao), written big-endian by hand.
    const body = Buffer.from([
      ...[0, 0, 0, 16], // first array: 16 bytes
      ...[0, 0, 0, 11], ...Buffer.from('/a/item/one'), 0, // 4 + 11 + 1 = 16
      ...[0, 0, 0, 0], // second array: empty
    ])
    const fields = Buffer.from([
      5, 1, 0x75, 0, ...[0, 0, 0, 3], // REPLY_SERIAL u 3
      8, 1, 0x67, 0, 4, 0x61, 0x6f, 0x61, 0x6f, 0, // SIGNATURE g "aoao"
    ])
    const fixed = Buffer.from([0x42, MESSAGE.reply, 0, 1, 0, 0, 0, body.length, 0, 0, 0, 9, 0, 0, 0, fields.length])
    const padding = Buffer.alloc((8 - ((16 + fields.length) % 8)) % 8)
    const bytes = Buffer.concat([fixed, fields, padding, body])
    expect(messageLength(bytes)).toBe(bytes.length)
    expect(readMessage(bytes)).toMatchObject({ type: MESSAGE.reply, serial: 9, replySerial: 3, body: [['/a/item/one'], []] })
  })

  it('refuses what is not a D-Bus message or is cut short', () => {
    expect(() => readMessage(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/not a D-Bus message/)
    const whole = methodCall({ serial: 1, destination: 'a.b', path: '/', interface: 'a.b', member: 'M', signature: 's', body: (w) => w.string('x'.repeat(40)) })
    expect(() => readMessage(whole.subarray(0, whole.length - 10))).toThrow(/cut short/)
  })

  it('splits a signature into complete types', () => {
    expect(splitSignature('a{o(oayays)}')).toEqual(['a{o(oayays)}'])
    expect(splitSignature('aoao')).toEqual(['ao', 'ao'])
    expect(splitSignature('sva{sv}(ii)y')).toEqual(['s', 'v', 'a{sv}', '(ii)', 'y'])
    expect(() => splitSignature('a(s')).toThrow(/bad signature/)
    expect(() => splitSignature('z')).toThrow(/bad signature/)
  })
})
