/**
 * Where the vault key lives in the keychain. Apart from vault.ts so that reading the item (the
 * `latchkey` command does it first thing) loads no node:crypto.
 */

/** Keychain item names of vault keys start with this; the rest names the data folder. */
export const VAULT_KEY_PREFIX = 'vault-key:'
