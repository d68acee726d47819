/**
 * Reads one keytar item from the Secret Service (GNOME Keyring, KWallet…) over the session bus
 * itself, for the `latchkey` command: no libsecret, GLib or native module to load, and two round
 * trips instead of libsecret's ten. The same item libsecret's lookup finds (keytar's schema and
 * attributes, the first unlocked match) and the same transfer protection as libsecret: a
 * Diffie-Hellman session (dh-ietf1024-sha256-aes128-cbc-pkcs7), so the secret never crosses the bus
 * in the clear. It never unlocks, prompts, creates or changes anything: a locked or missing item is
 * said so, and anything unexpected (no bus, a refused login, an error reply) is thrown for the
 * caller to fall back on keytar or the core.
 *
 * Spec: https://specifications.freedesktop.org/secret-service-spec/latest/
 */
import type { KeyObject } from 'node:crypto'
import { MESSAGE, messageLength, methodCall, readMessage, type Message, type WireValue } from './dbus-wire.ts'

export type SecretLookup = { kind: 'found'; secret: string } | { kind: 'absent' } | { kind: 'locked' }

/** keytar's libsecret schema (keytar_posix.cc); libsecret adds its name to the search as xdg:schema. */
const KEYTAR_SCHEMA = 'org.freedesktop.Secret.Generic'
const ALGORITHM = 'dh-ietf1024-sha256-aes128-cbc-pkcs7'
const SECRETS = { destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', interface: 'org.freedesktop.Secret.Service' }
const BUS = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus' }

/** Where the session bus listens (a Unix socket path, or '\0'-prefixed for an abstract one); null when the environment does not say. */
export function sessionBusSocket(env: NodeJS.ProcessEnv = process.env): string | null {
  const address = env.DBUS_SESSION_BUS_ADDRESS
  if (!address) return env.XDG_RUNTIME_DIR ? `${env.XDG_RUNTIME_DIR}/bus` : null
  for (const entry of address.split(';')) {
    if (!entry.startsWith('unix:')) continue
    const keys = new Map(entry.slice(5).split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), decodeURIComponent(pair.slice(pair.indexOf('=') + 1))]))
    const path = keys.get('path')
    if (path) return path
    const abstract = keys.get('abstract')
    if (abstract) return `\0${abstract}`
  }
  return null
}

/** keytar.getPassword(service, account) on Linux, read over the bus. */
export async function readKeytarSecret(service: string, account: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SecretLookup> {
  const socketPath = sessionBusSocket(options.env)
  if (socketPath === null) throw new Error('no session bus address')
  const { createDecipheriv, hkdfSync } = process.getBuiltinModule('node:crypto')
  const { connect } = process.getBuiltinModule('node:net')
  const dh = dhKeyPair()
  const attributes: [string, string][] = [
    ['account', account],
    ['service', service],
    ['xdg:schema', KEYTAR_SCHEMA],
  ]

  return new Promise<SecretLookup>((resolve, reject) => {
    const socket = connect(socketPath)
    let settled = false
    const finish = (error: Error | null, result?: SecretLookup) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve(result as SecretLookup)
    }
    const timer = setTimeout(() => finish(new Error('the Secret Service did not answer in time')), options.timeoutMs ?? 2000)
    const replies = new Map<number, Message>()
    let session: { path: string; key: Buffer } | null = null
    let item: string | null = null
    let authenticated = false
    let pending = Buffer.alloc(0)

    const step = () => {
      const opened = replies.get(2)
      const found = replies.get(3)
      if (session === null && opened) {
        const [output, path] = opened.body as [{ value: WireValue }, string]
        // The shared secret as long as the prime (zeros in front), as GNOME Keyring takes it: libsecret
        // once dropped leading zero bytes, and failed one session in 256 until it stopped.
        const shared = dh.secret(output.value as Buffer)
        session = { path, key: Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 16)) }
      }
      if (item === null && found && session !== null) {
        const [unlocked, locked] = found.body as [string[], string[]]
        const first = unlocked[0]
        if (first === undefined) {
          finish(null, locked.length > 0 ? { kind: 'locked' } : { kind: 'absent' })
          return
        }
        item = first
        const sessionPath = session.path
        socket.write(methodCall({ serial: 4, destination: SECRETS.destination, path: first, interface: 'org.freedesktop.Secret.Item', member: 'GetSecret', signature: 'o', body: (w) => w.string(sessionPath) }))
      }
      const secret = replies.get(4)
      if (secret && session !== null) {
        const [, parameters, value] = secret.body[0] as [string, Buffer, Buffer, string]
        const decipher = createDecipheriv('aes-128-cbc', session.key, parameters)
        finish(null, { kind: 'found', secret: Buffer.concat([decipher.update(value), decipher.final()]).toString('utf8') })
      }
    }

    socket.on('connect', () => {
      const uid = process.getuid?.() ?? 0
      socket.write(
        Buffer.concat([
          // Authentication and the first calls in one write: the bus takes what follows BEGIN as messages.
          Buffer.from(`\0AUTH EXTERNAL ${Buffer.from(String(uid)).toString('hex')}\r\nBEGIN\r\n`, 'latin1'),
          methodCall({ serial: 1, ...BUS, member: 'Hello' }),
          methodCall({ serial: 2, ...SECRETS, member: 'OpenSession', signature: 'sv', body: (w) => w.string(ALGORITHM).signature('ay').bytes(dh.publicValue) }),
          methodCall({
            serial: 3,
            ...SECRETS,
            member: 'SearchItems',
            signature: 'a{ss}',
            body: (w) => w.array(8, () => attributes.forEach(([name, value]) => w.align(8).string(name).string(value))),
          }),
        ]),
      )
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        pending = Buffer.concat([pending, chunk])
        if (!authenticated) {
          const end = pending.indexOf('\r\n')
          if (end < 0) return
          const line = pending.toString('latin1', 0, end)
          if (!line.startsWith('OK ')) throw new Error(`the session bus refused the login (${line.split(' ')[0] ?? ''})`)
          authenticated = true
          pending = pending.subarray(end + 2)
        }
        for (let length = messageLength(pending); length !== null && pending.length >= length; length = messageLength(pending)) {
          const message = readMessage(pending.subarray(0, length))
          pending = pending.subarray(length)
          if (message.type === MESSAGE.error) throw new Error(`the Secret Service answered ${message.errorName ?? 'an error'}`)
          if (message.type === MESSAGE.reply && message.replySerial !== null) replies.set(message.replySerial, message)
        }
        step()
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)))
      }
    })
    socket.on('error', (error) => finish(error))
    socket.on('close', () => finish(new Error('the session bus closed the connection')))
  })
}

/**
 * A Diffie-Hellman pair in RFC 2409's second Oakley group (the spec's "ietf 1024"), as KeyObjects: a
 * named group skips the prime check crypto.getDiffieHellman makes on every use (tens of
 * milliseconds). The public value goes over the bus as a big-endian number; the server's comes
 * back the same way and is put into our key's SubjectPublicKeyInfo in place of ours.
 */
function dhKeyPair(): { publicValue: Buffer; secret(peer: Buffer): Buffer } {
  const { createPublicKey, diffieHellman, generateKeyPairSync } = process.getBuiltinModule('node:crypto')
  // Node takes 'dh' with a named group (docs: crypto.generateKeyPairSync); @types/node leaves that overload out.
  const generate = generateKeyPairSync as unknown as (type: 'dh', options: { group: string }) => { privateKey: KeyObject; publicKey: KeyObject }
  const { privateKey, publicKey } = generate('dh', { group: 'modp2' })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  // SEQUENCE { AlgorithmIdentifier (with the group), BIT STRING { 0 unused bits, INTEGER y } }
  const outer = derElement(spki, 0)
  const algorithm = derElement(spki, outer.content)
  const bits = derElement(spki, algorithm.end)
  const y = derElement(spki, bits.content + 1)
  const algorithmBytes = spki.subarray(algorithm.start, algorithm.end)
  return {
    publicValue: withoutLeadingZeros(spki.subarray(y.content, y.end)),
    secret(peer) {
      const value = withoutLeadingZeros(peer)
      const integer = derWrap(0x02, (value[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value)
      const key = derWrap(0x30, Buffer.concat([algorithmBytes, derWrap(0x03, Buffer.concat([Buffer.from([0]), integer]))]))
      const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key, format: 'der', type: 'spki' }) })
      return shared.length >= PRIME_BYTES ? shared : Buffer.concat([Buffer.alloc(PRIME_BYTES - shared.length), shared])
    },
  }
}

/** The group's prime is 1024 bits. */
const PRIME_BYTES = 128

/** A number as unsigned big-endian bytes without leading zeros. */
function withoutLeadingZeros(bytes: Buffer): Buffer {
  let zeros = 0
  while (zeros < bytes.length - 1 && bytes[zeros] === 0) zeros++
  return bytes.subarray(zeros)
}

/** One DER element at `start`: where its content begins and where it ends. */
function derElement(der: Buffer, start: number): { start: number; content: number; end: number } {
  const first = der[start + 1] ?? 0
  if (first < 0x80) return { start, content: start + 2, end: start + 2 + first }
  const count = first & 0x7f
  let length = 0
  for (let i = 0; i < count; i++) length = length * 256 + (der[start + 2 + i] ?? 0)
  return { start, content: start + 2 + count, end: start + 2 + count + length }
}

function derWrap(tag: number, content: Buffer): Buffer {
  const n = content.length
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]
  return Buffer.concat([Buffer.from([tag, ...length]), content])
}
