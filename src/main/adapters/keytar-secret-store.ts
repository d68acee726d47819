/**
 * The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Manager on
 * Windows). Latchkey calls it only inside the keychain worker process (keychain-worker/), so a
 * libsecret that holds on to a dead D-Bus connection, or aborts, never takes the app with it.
 */
import type * as KeytarModule from 'keytar'
import type { SecretStore } from '../core/ports.ts'
import { chunkedSecretStore, WINDOWS_SECRET_CHARS } from './chunked-secret-store.ts'

type Keytar = typeof KeytarModule

/** Loads keytar (a missing or broken native module is an error named KeychainLibraryMissing). */
export async function loadKeytar(): Promise<Keytar> {
  try {
    const module = (await import('keytar')) as Keytar & { default?: Keytar }
    return module.default ?? module
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
    const missing = new Error(`The keychain module could not be loaded (${detail}).`)
    // KEYCHAIN_LIBRARY_MISSING (keychain-health.ts), spelled out so the worker's bundle shares no module with the app's.
    missing.name = 'KeychainLibraryMissing'
    throw missing
  }
}

/**
 * keytar loaded synchronously (throws as loadKeytar rejects): for a caller that starts its read at
 * once and does other work while the keychain answers on keytar's own thread.
 */
export function requireKeytar(): Keytar {
  return process.getBuiltinModule('node:module').createRequire(import.meta.url)('keytar') as Keytar
}

export function keytarSecretStore(keytar: Keytar, service: string): SecretStore {
  const store: SecretStore = {
    async get(key) {
      return keytar.getPassword(service, key)
    },
    async loadAll() {
      const found = await keytar.findCredentials(service)
      return new Map(found.map(({ account, password }) => [account, password]))
    },
    async set(key, secret) {
      await keytar.setPassword(service, key, secret)
    },
    async delete(key) {
      await keytar.deletePassword(service, key)
    },
  }
  // Credential Manager's per-entry limit would refuse a long secret (older versions' sessions).
  return process.platform === 'win32' ? chunkedSecretStore(store, WINDOWS_SECRET_CHARS) : store
}
