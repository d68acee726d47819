import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../../dev/keyring-session.ts'
import { keychainServiceName } from './keytar-secret-store.ts'

const run = promisify(execFile)
const fixture = join(import.meta.dirname, 'keytar-secret-store.fixture.ts')

/** Runs the fixture under Node with exactly `env` (plus PATH/HOME) and parses its JSON line. */
async function child(args: string[], env: Record<string, string>): Promise<Record<string, unknown>> {
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
  const { stdout } = await run(process.execPath, [fixture, ...args], { env: { ...base, ...env }, timeout: 30_000 })
  const line = stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as Record<string, unknown>
}

const missing = await missingKeyringTools()
const skipRealKeyring = missing.length > 0 && !process.env.CI
if (skipRealKeyring) {
  console.warn(
    `Skipping the real gnome-keyring test: ${missing.join(', ')} not found. Install gnome-keyring and dbus-x11 to run it (under CI it fails instead).`,
  )
}

describe('keychainServiceName', () => {
  it('keeps development runs apart from packaged ones', () => {
    expect(keychainServiceName(true)).toBe('Latchkey')
    expect(keychainServiceName(false)).toBe('Latchkey Dev')
  })
})

describe.skipIf(skipRealKeyring)('keytar secret store against a real gnome-keyring', () => {
  let session: KeyringSession | undefined
  const env = () => {
    if (!session) throw new Error('The keyring session did not start.')
    return session.env
  }
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`The real-keychain test needs ${missing.join(', ')} (apt install gnome-keyring dbus-x11).`)
    session = await startKeyringSession()
  })
  afterAll(async () => {
    await session?.stop()
  })

  it('stores, lists in one batch, replaces and deletes secrets', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const result = await child(['round-trip', service], env())
    expect(result).toEqual({
      afterSet: { 'account-1': 'secret-one', 'account-2': 'secret-two-rotated' },
      afterDelete: { 'account-2': 'secret-two-rotated' },
      vault: { loadCalls: 1, got: 'secret-two-rotated', health: { available: true, reason: null, fix: null } },
    })
  })

  it('stores through the vault, and keeps services apart', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const first = await child(['vault', service], env())
    expect(first).toMatchObject({ libraryLoaded: true, before: null, stored: 'keychain', storage: 'keychain', kept: true })
    const restarted = await child(['vault', service], env())
    expect(restarted['before']).toBe('secret-in-memory')
    const other = await child(['vault', `Latchkey Test ${randomUUID()}`], env())
    expect(other['before']).toBeNull()
  })
})

describe('keytar secret store with no Secret Service', () => {
  it('fails closed: the vault reports why, keeps the secret in memory and says "memory-only"', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=/tmp/latchkey-no-bus-${randomUUID()}/bus` }
    const result = await child(['vault', 'Latchkey Test'], env)
    expect(result['stored']).toBe('memory-only')
    expect(result['storage']).toBe('memory-only')
    expect(result['kept']).toBe(true)
    const health = result['health'] as { available: boolean; reason: string; fix: string }
    expect(health.available).toBe(false)
    expect(result['libraryLoaded']).toBe(true)
    expect(health.reason).toBe('No Secret Service is running (org.freedesktop.secrets).')
    expect(health.fix).toMatch(/Start or unlock your keyring .* Try again/)
    expect(JSON.stringify(result['logs'])).not.toContain('secret-in-memory')
  })
})
