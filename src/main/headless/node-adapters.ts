/** The adapters a Latchkey running under plain Node uses on a data folder (the browser shell and the headless core). */
import { join } from 'node:path'
import { accountFiles } from '../adapters/account-files.ts'
import { auditFile } from '../adapters/audit-file.ts'
import { openConfSettings } from '../adapters/conf-settings.ts'
import { jsonLogger } from '../adapters/json-logger.ts'
import { keychainServiceName, keychainWorkerStore } from '../adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../adapters/keychain-worker/node-worker.ts'
import { presetsFromEnv } from '../presets.ts'
import { logFile } from './log-file.ts'

export function nodeShellAdapters(dataDir: string, workerPath: string, logName = 'latchkey') {
  const logger = jsonLogger({ file: logFile(dataDir, logName) })
  const keychain = keychainWorkerStore(forkedKeychainWorker(workerPath), keychainServiceName(false))
  return {
    logger,
    keychain,
    settings: (trustedStamp: string | null) => openConfSettings({ cwd: dataDir, trustedStamp }),
    accountFiles: accountFiles(join(dataDir, 'accounts')),
    audit: auditFile(dataDir),
    presets: presetsFromEnv(process.env.LATCHKEY_PRESETS, logger),
  }
}
