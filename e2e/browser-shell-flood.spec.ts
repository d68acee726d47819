/**
 * A local process floods the real browser shell (the bundled out/web/cli.js, with a real GNOME
 * Keyring on a private D-Bus) with idle connections, far past its connection cap and past the
 * process's own file limit (`ulimit -n 256`). Running out of file descriptors used to make libsecret
 * abort the whole process; now the shell sheds the flood, stays up, and its keychain still answers.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { startKeyringSession, type KeyringSession } from '../src/dev/keyring-session.ts'
import { INVOKE_PATH, SHELL_KEY_HEADER } from '../src/shared/web-shell.ts'
import { readVaultKey } from './support/keychain.ts'
import { startShell, type ShellProcess } from './support/shell-process.ts'

const FILE_LIMIT = 256
const FLOOD = 3 * FILE_LIMIT

let keyring: KeyringSession | undefined
let shell: ShellProcess | undefined
let dataDir = ''
const sockets: Socket[] = []

test.afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await shell?.stop()
  await keyring?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

/** A bridge call as the page makes it, with this launch's key. */
async function call(channel: string): Promise<{ ok: boolean; value?: unknown }> {
  if (!shell) throw new Error('no shell')
  const key = new URL(shell.url).hash.replace(/^#key=/, '')
  const response = await fetch(`${shell.origin}${INVOKE_PATH}${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SHELL_KEY_HEADER]: key },
    body: JSON.stringify({ args: null }),
  })
  return (await response.json()) as { ok: boolean; value?: unknown }
}

/** Opens `count` connections that never send a byte; counts those the shell closes. */
async function flood(count: number): Promise<{ closed: () => number }> {
  if (!shell) throw new Error('no shell')
  const { port } = new URL(shell.origin)
  let closed = 0
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1')
          sockets.push(socket)
          socket.on('error', () => undefined)
          socket.once('close', () => (closed += 1))
          socket.once('connect', () => resolve())
          socket.once('close', () => resolve())
        }),
    ),
  )
  return { closed: () => closed }
}

test('a flood of idle connections under a low file limit leaves the shell up and its keychain working', async () => {
  test.setTimeout(180_000)
  keyring = await startKeyringSession()
  dataDir = mkdtempSync(join(tmpdir(), 'lk-flood-'))
  shell = await startShell({ dataDir, env: keyring.env, fileLimit: FILE_LIMIT })

  // With no page, the shell reads its keychain after a short grace (making its vault key, on a first start).
  await expect.poll(() => readVaultKey(dataDir, keyring?.env ?? {}), { timeout: 20_000 }).not.toBeNull()
  const vaultKey = readVaultKey(dataDir, keyring.env)
  expect(await call('app:state')).toMatchObject({ ok: true, value: { storage: { available: true } } })

  const wave = await flood(FLOOD)
  // Over the cap, connections are dropped at once; the rest stay until they are cut as idle.
  await expect.poll(() => wave.closed(), { timeout: 30_000 }).toBeGreaterThanOrEqual(FLOOD - 128)
  expect(shell.running()).toBe(true)
  // Its file descriptors stay under the limit while the flood holds every slot it may.
  expect(readdirSync(`/proc/${String(shell.pid)}/fd`).length).toBeLessThan(FILE_LIMIT)

  // With the flood still holding all but a few slots, the keychain is asked again through the
  // bridge (a fresh keychain connection): the read goes to the keychain and back.
  for (const socket of sockets.filter((candidate) => !candidate.closed).slice(0, 8)) socket.destroy()
  expect(await call('app:retryKeychain')).toMatchObject({ ok: true, value: { available: true } })
  expect(readVaultKey(dataDir, keyring.env)).toBe(vaultKey)

  // The idle ones are cut off when their headers never come, and the shell is still there.
  await expect.poll(() => wave.closed(), { timeout: 30_000 }).toBe(FLOOD)
  expect(shell.running()).toBe(true)
  expect(await call('app:state')).toMatchObject({ ok: true, value: { storage: { available: true } } })
  expect(shell.output()).not.toMatch(/abort|EMFILE|too many open files/i)
})
