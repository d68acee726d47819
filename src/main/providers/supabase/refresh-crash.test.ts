/**
 * A crash between the server's answer and the keychain write, for real: a Latchkey process renews a
 * Supabase session and is killed (SIGKILL) after the server rotated the refresh token but before
 * the new one was written. Restarted, it presents the old token again; the server's "immediate
 * parent" rule hands back the same new token, and the account stays signed in. On the emulator
 * and, where it runs, the real Supabase Auth server (refresh-token reuse interval 0).
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { missingKeyringTools, startKeyringSession, type KeyringSession } from '../../../dev/keyring-session.ts'
import { TARGETS, useTarget } from './test-targets.ts'

const run = promisify(execFile)
const fixture = join(import.meta.dirname, 'refresh-crash.fixture.ts')
const missing = await missingKeyringTools()
if (missing.length > 0 && !process.env.CI) console.warn(`Supabase crash-recovery test skipped: the private keyring needs ${missing.join(', ')}.`)

describe.skipIf(missing.length > 0 && !process.env.CI).each(TARGETS)('Supabase renewal killed between the answer and the write, on the $name', (target) => {
  const harness = useTarget(target, { reuseIntervalSeconds: 0 })
  let keyring: KeyringSession | undefined
  let dir = ''
  const env = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...keyring?.env })
  beforeAll(async () => {
    keyring = await startKeyringSession()
    dir = mkdtempSync(join(tmpdir(), 'latchkey-sb-crash-'))
  })
  afterAll(async () => {
    await keyring?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('restarted, the old token renews to the same new token (immediate parent), and the account stays signed in', async () => {
    const person = await harness.person()
    const setup = await run(process.execPath, [fixture, dir, 'setup', harness.server.url, harness.server.anonKey, person.email, person.password], { env: env(), timeout: 60_000 })
    const saved = /^ready (\w+)$/m.exec(setup.stdout)?.[1]
    expect(saved).toMatch(/^\w{16}$/)

    const child = spawn(process.execPath, [fixture, dir, 'crash'], { env: env(), stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    let answered = ''
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^answered (\w+)$/.exec(line)
      if (match !== null) {
        answered = match[1] ?? ''
        child.kill('SIGKILL')
        break
      }
    }
    expect(await exited).toBe('SIGKILL')
    expect(answered).toMatch(/^\w{16}$/)
    expect(answered).not.toBe(saved)

    const first = await run(process.execPath, [fixture, dir, 'check'], { env: env(), timeout: 60_000 })
    expect(first.stdout.trim()).toBe(`renewed signed-in ${answered}`)
    // …and the session goes on: the next renewal rotates as usual.
    const second = await run(process.execPath, [fixture, dir, 'check'], { env: env(), timeout: 60_000 })
    expect(second.stdout).toMatch(/^renewed signed-in \w{16}\n$/)
    expect(second.stdout).not.toContain(answered)
  }, 120_000)
})
