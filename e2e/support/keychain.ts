/** Reads what Latchkey stored in the test's private keychain (a child process on that D-Bus session). */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'

const keytarPath = createRequire(import.meta.url).resolve('keytar')

export interface StoredSession {
  accountId: string
  accessToken: string
  refreshToken: string | null
  idToken: string | null
}

export function readKeychain(env: Record<string, string>): StoredSession[] {
  const script = `
    const keytar = require(${JSON.stringify(keytarPath)})
    keytar.findCredentials('Latchkey Dev').then((all) => process.stdout.write(JSON.stringify(all)))`
  const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })
  const entries = JSON.parse(out) as { account: string; password: string }[]
  return entries.flatMap(({ account, password }) => {
    const parsed = JSON.parse(password) as { session: { accessToken: string; refreshToken: string | null; idToken: string | null } | null }
    return parsed.session ? [{ accountId: account, ...parsed.session }] : []
  })
}
