/** The vault wired to in-memory stand-ins, shared by the vault tests. */
export { fakeKeychain } from '../testing/fake-keychain.ts'
export { recordingLogger } from '../testing/recording-logger.ts'
import type { SecretStore } from '../ports.ts'
import { FakeClock } from '../testing/fake-clock.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
import { SecretVault } from './vault.ts'

export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export function setup(keychain: SecretStore | null, extra: { unavailableReason?: string } = {}) {
  const clock = new FakeClock(0)
  const logger = recordingLogger()
  const vault = new SecretVault(keychain, { clock, logger, ...extra })
  const changes: boolean[] = []
  vault.onChange((health) => changes.push(health.available))
  return { clock, logger, vault, changes }
}

