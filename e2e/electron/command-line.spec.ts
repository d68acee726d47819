/**
 * The Electron binary as the `latchkey` command (`--latchkey-cli`, what /usr/bin/latchkey runs in a
 * package), unpackaged: no Node.js of its own, it answers by itself, and it starts itself headless
 * (`--latchkey-headless`) when the core must answer. Runs wherever the Electron runtime exists (as
 * smoke.spec.ts does); elsewhere each test is skipped with the reason printed. The packaged binary,
 * with its fuses: packaged.spec.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { findElectronRuntime } from '../../scripts/electron-runtime.mjs'
import { lockHolderOf, stopLockHolder } from '../../src/dev/lock-holder.ts'
import { runProcess, type Ran } from '../../src/dev/run-process.ts'
import { seedFolder, testSession } from '../../src/dev/seeded-folder.ts'
import { expect, test } from '../support/fixtures.ts'

const runtime = findElectronRuntime()
const root = resolve(import.meta.dirname, '../..')

test.beforeAll(() => {
  if (!runtime.path) console.log(`Electron command-line suite skipped: ${runtime.reason ?? 'no runtime'}.`)
})

/** `latchkey ARGS` as the Electron binary runs it, and its exit. */
function command(args: string[], env: Record<string, string>): Promise<Ran> {
  return runProcess(runtime.path ?? '', [root, '--latchkey-cli', ...args], { ...process.env, ...env })
}

test('the Electron binary is the latchkey command: it answers by itself', async () => {
  test.skip(!runtime.path, `Electron runtime unavailable: ${runtime.reason ?? ''}`)
  const dataDir = mkdtempSync(join(tmpdir(), 'lk-electron-cli-'))
  try {
    const env = { LATCHKEY_DATA_DIR: dataDir, DBUS_SESSION_BUS_ADDRESS: '' }
    const listed = await command(['accounts', '--json'], env)
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout.trim())).toEqual([])
    const token = await command(['token'], env)
    expect(token.code).toBe(3)
    expect(token.stderr).toContain('no active account')
    const usage = await command(['tokens'], env)
    expect(usage.code).toBe(2)
    expect(usage.stderr).toBe('latchkey: Unknown command “tokens”. (latchkey --help)\n')
    // Nothing needed the core: none was started.
    expect(lockHolderOf(dataDir)).toBeNull()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('when the core must answer, the Electron binary starts itself headless, which holds the data folder and answers', async ({ keyringEnv }) => {
  test.skip(!runtime.path, `Electron runtime unavailable: ${runtime.reason ?? ''}`)
  const now = Date.now()
  const dataDir = await seedFolder([{ id: 'grace', provider: 'oidc', config: { issuer: 'http://127.0.0.1:9/', clientId: 'latchkey' }, email: 'grace@example.test', cliAccess: true, secrets: { session: testSession(now) } }], keyringEnv, now)
  try {
    // No keychain on this bus: the command cannot open the session, so the core it starts answers,
    // and says why (whether or not this runtime could load the keychain module at all).
    const ran = await command(['--data-dir', dataDir, 'token'], { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}` })
    expect(ran.stderr).toMatch(/^latchkey: Latchkey's keychain is unavailable/)
    expect(ran.code).toBe(6)
    const holder = lockHolderOf(dataDir)
    expect(holder).not.toBeNull()
    expect(readFileSync(`/proc/${String(holder)}/cmdline`, 'utf8').split('\0')).toContain('--latchkey-headless')
  } finally {
    await stopLockHolder(dataDir)
    rmSync(dataDir, { recursive: true, force: true })
  }
})
