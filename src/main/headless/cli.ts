/**
 * The core without a window or HTTP: what `latchkey` starts when no Latchkey runs on the data
 * folder. It takes the folder's instance lock (the same one both shells take), reads the keychain,
 * keeps the sessions fresh, answers the command line on the same socket as the app, and leaves
 * after a few idle minutes or when the app starts on the same folder.
 *
 *   node out/web/headless.js [--data-dir DIR]
 *
 * Environment: LATCHKEY_DATA_DIR, LATCHKEY_HEADLESS_IDLE_SECONDS (default 300).
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultDataDir } from '../web/data-dir.ts'
import { EXIT_LOCK_HELD } from '../cli-server/protocol.ts'
import { runHeadless } from './run.ts'
import { nodeShellAdapters } from './node-adapters.ts'
import { HEADLESS_LOG } from './log-file.ts'
import { cliEndpoint } from '../cli-server/socket-path.ts'
import { acquireInstanceLock } from '../adapters/instance-lock.ts'

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } })
const dataDir = values['data-dir'] ?? defaultDataDir()
mkdirSync(dataDir, { recursive: true, mode: 0o700 })
const endpoint = cliEndpoint(dataDir)
const lock = acquireInstanceLock(dataDir)
if (!lock.acquired) {
  rmSync(`${endpoint.keyFile}.starting`, { force: true })
  process.exit(EXIT_LOCK_HELD)
}
const fromSource = import.meta.filename.endsWith('.ts')
const workerPath = fromSource ? join(import.meta.dirname, '../adapters/keychain-worker/worker.ts') : join(import.meta.dirname, 'keychain-worker.js')
const adapters = nodeShellAdapters(dataDir, workerPath, HEADLESS_LOG)
await runHeadless({
  ...adapters,
  endpoint,
  idleMs: Number(process.env.LATCHKEY_HEADLESS_IDLE_SECONDS ?? '300') * 1000,
  exit: (code) => {
    lock.release()
    process.exit(code)
  },
})
