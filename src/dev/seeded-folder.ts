/**
 * A data folder as Latchkey leaves it, for tests of the `latchkey` command: the settings file, each
 * account's own file with its secrets sealed, and the folder's vault key in the given keyring.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { accountFileName } from '../main/adapters/account-file-name.ts'
import { keychainServiceName, keychainWorkerStore } from '../main/adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../main/adapters/keychain-worker/node-worker.ts'
import { accountFileBytes } from '../main/adapters/account-files.ts'
import { accountFileJson } from '../main/core/accounts/account-file.ts'
import { encodeSecrets } from '../main/core/app/account-secrets.ts'
import { newVaultKey, parseVaultKey, seal } from '../main/core/secrets/sealed.ts'
import { formatKeyItem, VAULT_KEY_PREFIX } from '../main/core/secrets/vault.ts'
import type { Session } from '../main/core/sessions/session.ts'
import { SETTINGS_PROJECT_VERSION, type AccountRecord } from '../main/core/settings/schema.ts'

const WORKER = resolve(import.meta.dirname, '../main/adapters/keychain-worker/worker.ts')
const HOUR = 3_600_000

export interface Seed {
  id: string
  label?: string
  provider: AccountRecord['provider']
  config: Record<string, string>
  email: string | null
  cliAccess?: boolean
  attention?: AccountRecord['attention']
  signedOut?: boolean
  secrets: { session: Session | null; config?: Record<string, string> } | null
}

/** A JWT as a server would send it (not verified by anything that reads it here). */
export function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`
}

/** A session valid for an hour from `now`. */
export function testSession(now: number, overrides: Partial<Session> = {}): Session {
  return { accessToken: `at-${Math.random().toString(36).slice(2)}`, refreshToken: 'rt-opaque', idToken: null, tokenType: 'Bearer', scopes: [], expiresAt: now + HOUR, issuedAt: now, ...overrides }
}

/** A data folder as Latchkey leaves it; its vault key goes into the keyring. */
export async function seedFolder(seeds: Seed[], keyringEnv: Record<string, string>, now = Date.now()): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-direct-'))
  const accountsDir = join(dataDir, 'accounts')
  mkdirSync(accountsDir, { mode: 0o700 })
  const keyText = newVaultKey()
  const key = parseVaultKey(keyText)
  if (key === null) throw new Error('no key')
  const records = seeds.map((seed): AccountRecord => {
    const expiresAt = seed.secrets?.session?.expiresAt ?? null
    const record: AccountRecord = {
      id: seed.id,
      label: seed.label ?? `${seed.id[0]?.toUpperCase() ?? ''}${seed.id.slice(1)}`,
      provider: seed.provider,
      config: seed.config,
      identity: { subject: seed.id, name: null, email: seed.email },
      profile: {},
      createdAt: new Date(now - 2 * HOUR).toISOString(),
      lastRefreshAt: new Date(now).toISOString(),
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      attention: seed.attention ?? null,
      signedOut: seed.signedOut ?? false,
      ...(seed.cliAccess === undefined ? {} : { cliAccess: seed.cliAccess }),
    }
    const sealed = seed.secrets === null ? null : seal(key, seed.id, encodeSecrets({ session: seed.secrets.session, config: seed.secrets.config ?? {} }))
    writeFileSync(join(accountsDir, accountFileName(seed.id)), accountFileBytes(accountFileJson(record, sealed)), { mode: 0o600 })
    return record
  })
  const settings = { accounts: records, activeAccountId: records[0]?.id ?? null, __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } } }
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings), { mode: 0o600 })
  const keychain = keychainWorkerStore(forkedKeychainWorker(WORKER, { ...process.env, ...keyringEnv }), keychainServiceName(false))
  try {
    await keychain.set(VAULT_KEY_PREFIX + accountsDir, formatKeyItem({ key: keyText, legacyMoved: true }))
  } finally {
    keychain.stop()
  }
  return dataDir
}

