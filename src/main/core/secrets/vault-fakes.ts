/** The vault wired to in-memory stand-ins, shared by the vault tests. */
import type { KeyObject } from 'node:crypto'
import { fakeKeychain } from '../testing/fake-keychain.ts'
export { fakeKeychain }
export { memoryAccountFiles }
export { recordingLogger } from '../testing/recording-logger.ts'
import type { SecretStore } from '../ports.ts'
import { FakeClock } from '../testing/fake-clock.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
import { AccountStore } from '../accounts/account-store.ts'
import { memoryAccountFiles } from '../testing/memory-account-files.ts'
import { open, parseVaultKey } from './sealed.ts'
import { SecretVault, VAULT_KEY_PREFIX } from './vault.ts'

export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export function setup(
  keychain: SecretStore | null,
  extra: { unavailableReason?: string; files?: ReturnType<typeof memoryAccountFiles>; owns?: (id: string) => boolean } = {},
) {
  const clock = new FakeClock(0)
  const logger = recordingLogger()
  const files = extra.files ?? memoryAccountFiles()
  const records = new AccountStore(files, logger)
  const vault = new SecretVault(keychain, {
    clock,
    logger,
    records,
    ...(extra.owns ? { ownsLegacyItem: extra.owns } : {}),
    ...(extra.unavailableReason === undefined ? {} : { unavailableReason: extra.unavailableReason }),
  })
  const changes: boolean[] = []
  vault.onChange((change) => {
    if (change.kind === 'health') changes.push(change.health.available)
  })
  return { clock, logger, vault, changes, files, records }
}


/** The vault key the fake keychain holds (the one item whose name starts with VAULT_KEY_PREFIX). */
export function keyIn(keychain: ReturnType<typeof fakeKeychain>): KeyObject | null {
  const item = [...keychain.items].find(([name]) => name.startsWith(VAULT_KEY_PREFIX))?.[1]
  return item ? parseVaultKey((JSON.parse(item) as { key: string }).key) : null
}

/** The secret the disk holds for `id`, opened with the keychain's vault key. */
export function onDisk(keychain: ReturnType<typeof fakeKeychain>, files: ReturnType<typeof memoryAccountFiles>, id: string): string | null {
  const text = files.files.get(id)
  const key = keyIn(keychain)
  const sealed = text ? (JSON.parse(text) as { sealed: string | null }).sealed : null
  return key && sealed ? open(key, id, sealed) : null
}
