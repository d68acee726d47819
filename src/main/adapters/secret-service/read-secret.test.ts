/**
 * The command line's own Secret Service read against a real GNOME Keyring on a private session bus:
 * it finds exactly what keytar stored (through the keychain worker, as Latchkey stores it) and
 * decrypts it through the Diffie-Hellman session, says when an item is missing, and throws (so
 * the caller falls back on keytar) when there is no bus to talk to.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../../../dev/keyring-session.ts'
import { keychainWorkerStore } from '../keychain-worker/client.ts'
import { forkedKeychainWorker } from '../keychain-worker/node-worker.ts'
import { readKeytarSecret, sessionBusSocket } from './read-secret.ts'

const WORKER = resolve(import.meta.dirname, '../keychain-worker/worker.ts')
const missing = await missingKeyringTools()
const skip = missing.length > 0 && process.env.CI !== 'true'
if (skip) console.log(`Secret Service read tests skipped: ${missing.join(', ')} not installed`)

describe('sessionBusSocket', () => {
  it('takes the first Unix socket of the address, abstract ones too, with escapes undone', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' })).toBe('/run/user/1000/bus')
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1;unix:abstract=/tmp/dbus-x,guid=00ff' })).toBe('\0/tmp/dbus-x')
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/a%20b,guid=1' })).toBe('/tmp/a b')
  })

  it('falls back on the runtime folder’s bus, and says when there is none', () => {
    expect(sessionBusSocket({ XDG_RUNTIME_DIR: '/run/user/7' })).toBe('/run/user/7/bus')
    expect(sessionBusSocket({})).toBeNull()
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1' })).toBeNull()
  })
})

describe.skipIf(skip)('readKeytarSecret against a real GNOME Keyring', { timeout: 60_000 }, () => {
  let keyring: KeyringSession
  const service = `Latchkey Test ${randomUUID()}`
  const stored = {
    short: 'x',
    'vault-key:/home/someone/.config/Latchkey/accounts': JSON.stringify({ v: 1, key: Buffer.alloc(32, 7).toString('base64'), legacyMoved: true }),
    sixteen: '0123456789abcdef', // a whole block: the padding is a block of its own
    unicode: 'clé 🔑 ключ',
    long: 'z'.repeat(5000),
  }

  beforeAll(async () => {
    keyring = await startKeyringSession()
    const store = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...keyring.env }), service)
    const other = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...keyring.env }), `${service} other`)
    try {
      for (const [account, secret] of Object.entries(stored)) await store.set(account, secret)
      // An item under another service is not ours.
      await other.set('only-elsewhere', 'not this')
    } finally {
      store.stop()
      other.stop()
    }
  }, 60_000)
  afterAll(async () => {
    await keyring.stop()
  })

  it('reads each item keytar stored, decrypted through the Diffie-Hellman session', async () => {
    for (const [account, secret] of Object.entries(stored)) {
      expect(await readKeytarSecret(service, account, { env: keyring.env })).toEqual({ kind: 'found', secret })
    }
  })

  it('agrees with the server on every shared secret (a leading zero byte comes once in 256 sessions)', async () => {
    const account = 'vault-key:/home/someone/.config/Latchkey/accounts'
    for (let i = 0; i < 400; i++) {
      const read = await readKeytarSecret(service, account, { env: keyring.env })
      expect(read).toEqual({ kind: 'found', secret: stored[account] })
    }
  })

  it('says when there is no such item, for this service', async () => {
    expect(await readKeytarSecret(service, 'no-such-account', { env: keyring.env })).toEqual({ kind: 'absent' })
    expect(await readKeytarSecret(service, 'only-elsewhere', { env: keyring.env })).toEqual({ kind: 'absent' })
  })

  it('throws when no bus answers (the command then reads through keytar)', async () => {
    await expect(readKeytarSecret(service, 'short', { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } })).rejects.toThrow()
    await expect(readKeytarSecret(service, 'short', { env: {} })).rejects.toThrow(/no session bus/)
  })
})
