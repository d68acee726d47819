/** The whole app in this process on a seeded data folder, its keychain holding the folder's vault key. */
import { join } from 'node:path'
import { accountFiles } from '../../src/main/adapters/account-files.ts'
import { openConfSettings } from '../../src/main/adapters/conf-settings.ts'
import { composeLatchkey } from '../../src/main/compose.ts'
import type { Logger } from '../../src/main/core/ports.ts'
import { keychainWith, type Seeded } from './seed.ts'

export function composeSeeded(seeded: Seeded, logger: Logger) {
  return composeLatchkey({
    shell: 'browser',
    version: 'bench',
    settings: openConfSettings({ cwd: seeded.dataDir }),
    accountFiles: accountFiles(join(seeded.dataDir, 'accounts')),
    secrets: { store: keychainWith(seeded) },
    browser: { open: () => Promise.resolve() },
    clipboard: null,
    logger,
  })
}
