/**
 * What `latchkey` answering by itself needs once the vault key is in: node:crypto and the sealed
 * sessions' opening. A chunk of its own, loaded while the keychain is read (see direct.ts).
 */
import { open, parseVaultKey } from '../main/core/secrets/sealed.ts'
import { parseKeyItem } from '../main/core/secrets/vault.ts'

/** The keychain item's vault key, as the core takes it (null when the core would create or change it). */
export function openingKey(text: string | null): { open(accountId: string, sealed: string): string | null } | null {
  const item = parseKeyItem(text)
  const key = item === null || !item.legacyMoved ? null : parseVaultKey(item.key)
  return key === null ? null : { open: (accountId, sealed) => open(key, accountId, sealed) }
}
