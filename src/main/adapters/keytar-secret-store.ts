/**
 * The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Manager on
 * Windows). Loaded with a dynamic import, so a missing or broken native module is reported and
 * Latchkey keeps running with sessions in memory only.
 */
import type * as KeytarModule from 'keytar'
import type { SecretStore } from '../core/ports.ts'
import { chunkedSecretStore, WINDOWS_SECRET_CHARS } from './chunked-secret-store.ts'

type Keytar = typeof KeytarModule

/** `Latchkey` for packaged builds, `Latchkey Dev` otherwise, so development never touches real sessions. */
export function keychainServiceName(packaged: boolean): string {
  return packaged ? 'Latchkey' : 'Latchkey Dev'
}

export async function loadKeytarSecretStore(service: string): Promise<{ store: SecretStore } | { store: null; reason: string }> {
  let keytar: Keytar
  try {
    const module = (await import('keytar')) as Keytar & { default?: Keytar }
    keytar = module.default ?? module
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return { store: null, reason: `The keychain module could not be loaded (${detail}).` }
  }
  const store = keytarSecretStore(keytar, service)
  // Credential Manager's per-entry limit would refuse a session with JWTs in it.
  return { store: process.platform === 'win32' ? chunkedSecretStore(store, WINDOWS_SECRET_CHARS) : store }
}

function keytarSecretStore(keytar: Keytar, service: string): SecretStore {
  return {
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
}
