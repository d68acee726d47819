import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../../dev/keyring-session.ts'
import { startFixture } from './keychain-fixture-process.ts'
import { keychainServiceName } from './keychain-worker/client.ts'

const missing = await missingKeyringTools()
const skipRealKeyring = missing.length > 0 && !process.env.CI
if (skipRealKeyring) {
  console.warn(
    `Skipping the real gnome-keyring test: ${missing.join(', ')} not found. Install gnome-keyring and dbus-x11 to run it (under CI it fails instead).`,
  )
}

const dirs: string[] = []
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-vault-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
const accountFileNames = (dir: string): string[] => {
  try {
    return readdirSync(join(dir, 'accounts')).filter((name) => name.endsWith('.json'))
  } catch {
    return []
  }
}

describe('keychainServiceName', () => {
  it('keeps development runs apart from packaged ones', () => {
    expect(keychainServiceName(true)).toBe('Latchkey')
    expect(keychainServiceName(false)).toBe('Latchkey Dev')
  })
})

describe.skipIf(skipRealKeyring)('the vault over keytar in the keychain worker, against a real gnome-keyring', () => {
  let session: KeyringSession | undefined
  const env = (): Record<string, string> => {
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

  it('keeps one vault key in the keychain, sessions sealed on disk, and a restart opens them with one keychain read', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const dir = dataDir()
    const first = startFixture(dir, service, env())
    expect(await first.ask({ op: 'load' })).toMatchObject({ health: { available: true }, loadCalls: 1 })
    expect(await first.ask({ op: 'put', id: 'acct-1', secret: 'secret-one' })).toMatchObject({ stored: 'keychain' })
    const items = (await first.ask({ op: 'raw', call: 'loadAll' }))['value'] as Record<string, string>
    expect(Object.keys(items)).toEqual([`vault-key:${join(dir, 'accounts')}`])
    await first.quit()
    expect(readFileSync(join(dir, 'accounts', 'acct-1.json'), 'utf8')).not.toContain('secret-one')

    const restarted = startFixture(dir, service, env())
    expect(await restarted.ask({ op: 'load' })).toMatchObject({ health: { available: true }, loadCalls: 1, problems: { unreadable: [] } })
    expect(await restarted.ask({ op: 'get', id: 'acct-1' })).toMatchObject({ value: 'secret-one', storage: 'keychain' })
    await restarted.quit()

    // Another data folder has its own key: it opens nothing of this one's.
    const other = startFixture(dataDir(), service, env())
    await other.ask({ op: 'load' })
    expect(await other.ask({ op: 'get', id: 'acct-1' })).toMatchObject({ value: null })
    await other.quit()
  })

  it('restarts a keychain worker killed in the middle of a call, and the call is answered', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const fixture = startFixture(dataDir(), service, env())
    await fixture.ask({ op: 'raw', call: 'set', key: 'k', secret: 'v' })
    const { pid } = (await fixture.ask({ op: 'worker' })) as { pid: number }
    process.kill(pid, 'SIGSTOP')
    // Killed once the call has gone to the stopped worker: its answer can only come from the next one.
    expect(await fixture.ask({ op: 'raw', call: 'get', key: 'k', announce: true })).toEqual({ sent: true })
    const answer = fixture.next()
    process.kill(pid, 'SIGKILL')
    expect(await answer).toMatchObject({ value: 'v' })
    const after = (await fixture.ask({ op: 'worker' })) as { pid: number; starts: number }
    expect(after.starts).toBe(2)
    expect(after.pid).not.toBe(pid)
    await fixture.quit()
  })

  it('"Try again" after the keyring daemon restarts brings the sessions back', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const dir = dataDir()
    const first = startFixture(dir, service, env())
    await first.ask({ op: 'load' })
    await first.ask({ op: 'put', id: 'acct-1', secret: 'secret-one' })
    await first.quit()

    await session?.stopDaemon()
    const app = startFixture(dir, service, env())
    const down = await app.ask({ op: 'load' })
    expect(down).toMatchObject({ health: { available: false } })
    expect(await app.ask({ op: 'get', id: 'acct-1' })).toMatchObject({ value: null })
    await session?.startDaemon()
    const retried = await app.ask({ op: 'retry' })
    expect(retried).toMatchObject({ health: { available: true } })
    expect(await app.ask({ op: 'get', id: 'acct-1' })).toMatchObject({ value: 'secret-one', storage: 'keychain' })
    expect(await app.ask({ op: 'put', id: 'acct-2', secret: 'secret-two' })).toMatchObject({ stored: 'keychain' })
    await app.quit()
  })

  it('moves the per-account items of older versions into the vault, and a kill -9 in the middle loses nothing', async () => {
    const service = `Latchkey Test ${randomUUID()}`
    const dir = dataDir()
    const count = 40
    const seeder = startFixture(dataDir(), service, env())
    for (let i = 0; i < count; i++) await seeder.ask({ op: 'raw', call: 'set', key: `acct-${String(i)}`, secret: `legacy-${String(i)}` })
    await seeder.ask({ op: 'raw', call: 'set', key: 'someone-elses', secret: 'not ours' })
    await seeder.quit()

    // Killed three times while it moves items: after about a quarter, half and most of them are on disk.
    let interrupted = 0
    for (const fraction of [0.25, 0.5, 0.8]) {
      const run = startFixture(dir, service, env())
      run.send({ op: 'load' })
      const target = Math.floor(count * fraction)
      for (let waited = 0; accountFileNames(dir).length < target && waited < 60_000; waited += 2) {
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      run.child.kill('SIGKILL')
      await new Promise((resolve) => run.child.once('exit', resolve))
      const moved = accountFileNames(dir).length
      if (moved > 0 && moved < count) interrupted++
    }
    expect(interrupted).toBeGreaterThan(0)

    const last = startFixture(dir, service, env())
    expect(await last.ask({ op: 'load' })).toMatchObject({ health: { available: true }, problems: { unreadable: [] } })
    for (let i = 0; i < count; i++) expect(await last.ask({ op: 'get', id: `acct-${String(i)}` })).toMatchObject({ value: `legacy-${String(i)}` })
    const left = (await last.ask({ op: 'raw', call: 'loadAll' }))['value'] as Record<string, string>
    expect(Object.keys(left).sort()).toEqual([`vault-key:${join(dir, 'accounts')}`, 'someone-elses'].sort())
    await last.quit()
  }, 120_000)
})

describe('the vault with no Secret Service', () => {
  it('fails closed: memory only, says why, writes nothing secret to disk', async () => {
    const dir = dataDir()
    const fixture = startFixture(dir, 'Latchkey Test', { DBUS_SESSION_BUS_ADDRESS: `unix:path=/tmp/latchkey-no-bus-${randomUUID()}/bus` })
    const loaded = await fixture.ask({ op: 'load' })
    const health = loaded['health'] as { available: boolean; reason: string; fix: string }
    expect(health.available).toBe(false)
    expect(health.reason).toBe('No Secret Service is running (org.freedesktop.secrets).')
    expect(health.fix).toMatch(/Start or unlock your keyring .* Try again/)
    expect(await fixture.ask({ op: 'put', id: 'acct-1', secret: 'secret-in-memory' })).toMatchObject({ stored: 'memory-only' })
    const got = await fixture.ask({ op: 'get', id: 'acct-1' })
    expect(got).toMatchObject({ value: 'secret-in-memory', storage: 'memory-only' })
    expect(JSON.stringify(got['logs'])).not.toContain('secret-in-memory')
    await fixture.quit()
    for (const name of accountFileNames(dir)) expect(readFileSync(join(dir, 'accounts', name), 'utf8')).not.toContain('secret-in-memory')
  })
})
