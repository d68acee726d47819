/**
 * What the browser shell runs behind its page: the core composed on the data folder, with the
 * keychain worker, the audit file and the presets. cli.ts loads this module only once its server
 * listens, so the browser asks for the page while this code (the core, its providers and their
 * libraries: most of the shell's JavaScript) is still being loaded.
 */
import { join } from 'node:path'
import { auditFile } from '../adapters/audit-file.ts'
import { accountFiles } from '../adapters/account-files.ts'
import { keychainServiceName, keychainWorkerStore } from '../adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../adapters/keychain-worker/node-worker.ts'
import { openConfSettings } from '../adapters/conf-settings.ts'
import { cliHandler } from '../cli-server/handle.ts'
import type { CliHandler } from '../cli-server/server.ts'
import { composeLatchkeyInSlices } from '../compose.ts'
import type { Latchkey } from '../core/app/latchkey.ts'
import type { ExternalBrowser, Logger } from '../core/ports.ts'
import type { Router } from '../ipc/router.ts'
import { presetsFromEnv } from '../presets.ts'
import { releaseBurstGarbage } from '../garbage-release.ts'

export interface ShellApp {
  /** Resolves once the accounts are read (in slices, see AccountStore.opened). */
  composed: Promise<{ latchkey: Latchkey; router: Router }>
  /** Answers `latchkey` commands once the accounts are read. */
  cliHandler(options: Parameters<typeof cliHandler>[1]): Promise<CliHandler>
  /** Stops the keychain worker. */
  stopKeychain(): void
}

export function startShellApp(options: { dataDir: string; workerPath: string; browser: ExternalBrowser; logger: Logger }): ShellApp {
  const { dataDir, logger } = options
  const keychain = keychainWorkerStore(forkedKeychainWorker(options.workerPath), keychainServiceName(false))
  const composed = composeLatchkeyInSlices({
    shell: 'browser',
    version: process.env.npm_package_version ?? '0.0.0',
    settings: (trustedStamp) => openConfSettings({ cwd: dataDir, trustedStamp }),
    accountFiles: accountFiles(join(dataDir, 'accounts')),
    secrets: { store: keychain },
    browser: options.browser,
    clipboard: null,
    logger,
    presets: presetsFromEnv(process.env.LATCHKEY_PRESETS, logger),
    audit: auditFile(dataDir),
    afterRefreshBurst: releaseBurstGarbage(logger),
  })
  return {
    composed,
    cliHandler: async (handlerOptions) => cliHandler((await composed).latchkey, handlerOptions),
    stopKeychain: () => keychain.stop(),
  }
}
