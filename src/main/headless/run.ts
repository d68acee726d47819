/** The headless core's life: compose, read the keychain, answer on the socket, leave when idle or when the app takes over. */
import type { KeychainWorkerStore } from '../adapters/keychain-worker/client.ts'
import { cliHandler } from '../cli-server/handle.ts'
import { failure, startCliServer } from '../cli-server/server.ts'
import type { CliEndpoint } from '../cli-server/socket-path.ts'
import { composeLatchkey, type ShellAdapters } from '../compose.ts'
import type { AuditLog } from '../core/cli/audit.ts'
import type { Logger } from '../core/ports.ts'
import { rmSync } from 'node:fs'

export interface HeadlessOptions {
  logger: Logger
  keychain: KeychainWorkerStore
  settings: ShellAdapters['settings']
  accountFiles: ShellAdapters['accountFiles']
  audit: AuditLog
  presets: ShellAdapters['presets']
  endpoint: CliEndpoint
  idleMs: number
  exit(code: number): void
}

export async function runHeadless(options: HeadlessOptions): Promise<void> {
  const { logger, keychain } = options
  const { latchkey } = composeLatchkey({
    shell: 'browser',
    version: process.env.npm_package_version ?? '0.0.0',
    settings: options.settings,
    accountFiles: options.accountFiles,
    secrets: { store: keychain },
    browser: { open: () => Promise.reject(new Error('Latchkey runs without a window here; start the app to sign in.')) },
    clipboard: null,
    logger,
    audit: options.audit,
    ...(options.presets ? { presets: options.presets } : {}),
  })
  let lastActivity = Date.now()
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    clearInterval(idle)
    logger.info('headless.stopping', {})
    void Promise.all([server.close(), latchkey.shutdown()]).finally(() => {
      keychain.stop()
      options.exit(0)
    })
  }
  const handle = cliHandler(latchkey, {
    kind: 'headless',
    open: () => Promise.reject(new Error('no window')),
    yieldToApp: () => {
      setImmediate(stop)
      return true
    },
  })
  const server = await startCliServer(
    options.endpoint,
    async (request) => {
      lastActivity = Date.now()
      if (request.op === 'open') return failure('unsupported', 'Latchkey is running without a window.', 'Start Latchkey, then run latchkey open again.')
      try {
        return await handle(request)
      } finally {
        lastActivity = Date.now()
      }
    },
    logger,
  )
  rmSync(`${options.endpoint.keyFile}.starting`, { force: true })
  logger.info('headless.started', { pid: process.pid })
  // The keychain read comes with the first request that needs it (in parallel with its connection).
  void latchkey.loadSecrets().catch((error: unknown) => logger.error('secrets.load-failed', { error: String(error) }))
  const idle = setInterval(() => {
    if (server.busy === 0 && Date.now() - lastActivity >= options.idleMs) stop()
  }, Math.min(15_000, Math.max(200, options.idleMs / 4)))
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)
}
