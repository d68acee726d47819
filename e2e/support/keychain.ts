/**
 * Reads what Latchkey stored: the vault key from the test's private keychain (a child process on
 * that D-Bus session), and the sessions sealed with it in the data folder's account files.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { newestVersionText } from '../../src/main/adapters/account-file-format.ts'
import { open, parseVaultKey } from '../../src/main/core/secrets/sealed.ts'

const keytarPath = createRequire(import.meta.url).resolve('keytar')

export interface StoredSession {
  accountId: string
  accessToken: string
  refreshToken: string | null
  idToken: string | null
}

/** The data folder's vault key as the keychain holds it (null when there is none). */
export function readVaultKey(dataDir: string, env: Record<string, string>): string | null {
  const script = `
    const keytar = require(${JSON.stringify(keytarPath)})
    keytar.getPassword('Latchkey Dev', ${JSON.stringify(`vault-key:${join(dataDir, 'accounts')}`)}).then((item) => process.stdout.write(JSON.stringify(item)), () => process.stdout.write('null'))`
  const item = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })) as string | null
  return item === null ? null : (JSON.parse(item) as { key: string }).key
}

/** Every signed-in session in the data folder's vault. */
export function readVault(dataDir: string, env: Record<string, string>): StoredSession[] {
  const keyText = readVaultKey(dataDir, env)
  const key = keyText === null ? null : parseVaultKey(keyText)
  const dir = join(dataDir, 'accounts')
  if (!key || !existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const accountId = name.slice(0, -'.json'.length)
      const { sealed } = JSON.parse(newestVersionText(readFileSync(join(dir, name)))) as { sealed: string | null }
      const text = sealed ? open(key, accountId, sealed) : null
      const parsed = text ? (JSON.parse(text) as { session: Omit<StoredSession, 'accountId'> | null }) : null
      return parsed?.session ? [{ accountId, ...parsed.session }] : []
    })
}
