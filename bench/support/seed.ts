/**
 * A data folder with N accounts as Latchkey leaves it: the settings file, one sealed account file
 * per account, and the vault key item the keychain must hold for it. Written directly (no fsync):
 * it is the bench's starting point, not what is measured.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { accountFileBytes } from '../../src/main/adapters/account-files.ts'
import { encodeSecrets } from '../../src/main/core/app/account-secrets.ts'
import type { SecretStore } from '../../src/main/core/ports.ts'
import { newVaultKey, parseVaultKey, seal } from '../../src/main/core/secrets/sealed.ts'
import { VAULT_KEY_PREFIX } from '../../src/main/core/secrets/vault.ts'
import { factsOf, type Identity, type Session } from '../../src/main/core/sessions/session.ts'
import { SETTINGS_PROJECT_VERSION, type AccountRecord } from '../../src/main/core/settings/schema.ts'

export interface SeedAccount {
  provider: AccountRecord['provider']
  config: Record<string, string>
  identity: Identity
  profile: AccountRecord['profile']
  session: Session
}

export interface Seeded {
  dataDir: string
  ids: string[]
  /** The keychain item (name and value) that opens this folder's vault. */
  keyName: string
  keyItem: string
}

// Every seeded folder goes when the bench process ends, however it ends.
const seededDirs: string[] = []
process.once('exit', () => {
  for (const dir of seededDirs) rmSync(dir, { recursive: true, force: true })
})

/** `template` gives every account the same session, or (a function) each its own. */
export function seedDataDir(count: number, template: SeedAccount | ((index: number) => SeedAccount) | null): Seeded {
  const dataDir = mkdtempSync(join(tmpdir(), 'lk-bench-'))
  seededDirs.push(dataDir)
  const dir = join(dataDir, 'accounts')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const keyText = newVaultKey()
  const key = parseVaultKey(keyText)
  if (!key) throw new Error('bad key')
  const now = new Date().toISOString()
  const accounts: AccountRecord[] = []
  for (let i = 0; i < count && template; i++) {
    const seed = typeof template === 'function' ? template(i) : template
    const id = `acct-${String(i).padStart(5, '0')}`
    const account: AccountRecord = {
      id,
      label: `Account ${String(i)}`,
      provider: seed.provider,
      config: seed.config,
      identity: seed.identity,
      profile: seed.profile,
      createdAt: now,
      lastRefreshAt: now,
      expiresAt: seed.session.expiresAt === null ? null : new Date(seed.session.expiresAt).toISOString(),
      attention: null,
      signedOut: false,
      sessionFacts: factsOf(seed.session),
    }
    accounts.push(account)
    const sealed = seal(key, id, encodeSecrets({ session: seed.session, config: {} }))
    writeFileSync(join(dir, `${id}.json`), accountFileBytes(JSON.stringify({ v: 1, account, sealed })), { mode: 0o600 })
  }
  const settings = { accounts, activeAccountId: accounts[0]?.id ?? null, __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } } }
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings), { mode: 0o600 })
  return {
    dataDir,
    ids: accounts.map((a) => a.id),
    keyName: VAULT_KEY_PREFIX + dir,
    keyItem: JSON.stringify({ v: 1, key: keyText, legacyMoved: true }),
  }
}

/** A keychain in memory holding just this folder's vault key (for benches of what happens after start-up). */
export function keychainWith(seeded: Seeded): SecretStore {
  const items = new Map([[seeded.keyName, seeded.keyItem]])
  return {
    get: (key) => Promise.resolve(items.get(key) ?? null),
    set: (key, value) => Promise.resolve(void items.set(key, value)),
    delete: (key) => Promise.resolve(void items.delete(key)),
    loadAll: () => Promise.resolve(new Map(items)),
  }
}
