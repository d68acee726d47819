import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { secretServiceRunning, startKeyringSession, type KeyringSession } from './keyring-session.ts'

const keytarPath = createRequire(import.meta.url).resolve('keytar')
const sessions: KeyringSession[] = []
const folders: string[] = []
afterAll(async () => {
  await Promise.all(sessions.map((session) => session.stop()))
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
})

/** keytar in a child process on the session's bus (libsecret keeps its first bus for the life of a process). */
function keytar(env: Record<string, string>, call: string): string {
  const script = `const keytar = require(${JSON.stringify(keytarPath)}); ${call}.then((value) => process.stdout.write(JSON.stringify(value ?? null)))`
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })
}

describe('a private keyring kept in a folder (the demo without a Secret Service)', () => {
  it('keeps what was stored across a restart of the keyring, in an owner-only folder', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'latchkey-demo-'))
    folders.push(parent)
    const dir = join(parent, 'keyring')
    const first = await startKeyringSession({ dir, password: 'latchkey-demo' })
    expect(await secretServiceRunning(first.env)).toBe(true)
    keytar(first.env, `keytar.setPassword('Latchkey Dev', 'vault-key:demo', 'kept-across-restarts')`)
    await first.stop()
    expect(await secretServiceRunning(first.env)).toBe(false)

    const second = await startKeyringSession({ dir, password: 'latchkey-demo' })
    sessions.push(second)
    expect(JSON.parse(keytar(second.env, `keytar.getPassword('Latchkey Dev', 'vault-key:demo')`))).toBe('kept-across-restarts')
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
  })
})
