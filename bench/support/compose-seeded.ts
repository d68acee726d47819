/** The whole app in this process on a seeded data folder, its keychain holding the folder's vault key. */
import { join } from 'node:path'
import { accountFiles } from '../../src/main/adapters/account-files.ts'
import { openConfSettings } from '../../src/main/adapters/conf-settings.ts'
import { composeLatchkey } from '../../src/main/compose.ts'
import { releaseBurstGarbage } from '../../src/main/garbage-release.ts'
import type { Logger } from '../../src/main/core/ports.ts'
import { keychainWith, type Seeded } from './seed.ts'

/**
 * `onWrite`: told of every account-file write (whether it is flushed), for benches that count them.
 * After a burst of renewals, the memory-reducing collection the shells run (see compose.ts).
 */
export function composeSeeded(seeded: Seeded, logger: Logger, options: { onWrite?: (durable: boolean) => void } = {}) {
  const files = accountFiles(join(seeded.dataDir, 'accounts'))
  const onWrite = options.onWrite
  return composeLatchkey({
    shell: 'browser',
    version: 'bench',
    settings: openConfSettings({ cwd: seeded.dataDir }),
    accountFiles: onWrite
      ? {
          // Every method the app uses (reading one file, the start-up index): the app is measured as it is composed.
          ...files,
          write: (id, text, writeOptions) => {
            onWrite(writeOptions?.durable ?? true)
            return files.write(id, text, writeOptions)
          },
        }
      : files,
    secrets: { store: keychainWith(seeded) },
    browser: { open: () => Promise.resolve() },
    clipboard: null,
    logger,
    afterRefreshBurst: releaseBurstGarbage(logger),
  })
}
