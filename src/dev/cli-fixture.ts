/**
 * A data folder with a real signed-in account for the `latchkey` command's tests: a private GNOME
 * Keyring on its own D-Bus, the local OpenID Connect server, and Alice signed in through its real
 * login pages by the same core the app runs. Runs `latchkey` from source as a separate process, the
 * browser shell as "the app", and stops whatever headless core the command started.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { accountFiles } from '../main/adapters/account-files.ts'
import { auditFile } from '../main/adapters/audit-file.ts'
import { openConfSettings } from '../main/adapters/conf-settings.ts'
import { keychainServiceName, keychainWorkerStore } from '../main/adapters/keychain-worker/client.ts'
import { forkedKeychainWorker } from '../main/adapters/keychain-worker/node-worker.ts'
import { composeLatchkey } from '../main/compose.ts'
import type { Latchkey } from '../main/core/app/latchkey.ts'
import { completeBrowserLogin } from './browser-login.ts'
import { lockHolderOf, stopLockHolder } from './lock-holder.ts'
import { startKeyringSession, type KeyringSession } from './keyring-session.ts'
import { runProcess, type Ran } from './run-process.ts'
import { ALICE } from './oidc/provider-harness.ts'
import { RecordingLogger } from './oidc/recording-logger.ts'
import { startOidcServer, type OidcServer } from './oidc-server.ts'

const ROOT = resolve(import.meta.dirname, '../..')
export const CLI_ENTRY = join(ROOT, 'src/cli/latchkey.ts')
const WORKER = join(ROOT, 'src/main/adapters/keychain-worker/worker.ts')

export type { Ran } from './run-process.ts'

export interface CliFixture {
  keyring: KeyringSession
  oidc: OidcServer
  dataDir: string
  accountId: string
  env: NodeJS.ProcessEnv
  /** Every secret the server handed out (for leak checks). */
  secrets(): string[]
  /** Refresh requests the server answered since the sign-in. */
  refreshes(): number
  /** Access tokens the server issues from now on live this long (the sign-in's lived 30 s). */
  ttlSeconds: { value: number }
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void }): Promise<Ran>
  /** The browser shell on this folder (`--no-open`), as the running app. */
  startApp(): Promise<{ pid: number; stop(): Promise<void> }>
  /** The process holding the data folder's lock (the app or the headless core), if any. */
  lockHolder(): number | null
  /** Stops the headless core if one runs, and waits until it has gone. */
  stopHeadless(): Promise<void>
  /** The core, composed in this process on the folder (for settings changes between runs); shut it down after. */
  compose(): { latchkey: Latchkey; stop(): Promise<void> }
  stop(): Promise<void>
}

export async function startCliFixture(): Promise<CliFixture> {
  const keyring = await startKeyringSession()
  const ttlSeconds = { value: 30 }
  const oidc = await startOidcServer({ accessTokenTtlSeconds: () => ttlSeconds.value })
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'))
  const env: NodeJS.ProcessEnv = { ...process.env, ...keyring.env, LATCHKEY_DATA_DIR: dataDir, LATCHKEY_HEADLESS_IDLE_SECONDS: '60' }

  const compose = (): { latchkey: Latchkey; stop(): Promise<void> } => {
    const keychain = keychainWorkerStore(forkedKeychainWorker(WORKER, env), keychainServiceName(false))
    const { latchkey } = composeLatchkey({
      shell: 'browser',
      version: 'test',
      settings: openConfSettings({ cwd: dataDir }),
      accountFiles: accountFiles(join(dataDir, 'accounts')),
      secrets: { store: keychain },
      browser: { open: (url) => completeBrowserLogin(url, ALICE) },
      clipboard: null,
      logger: new RecordingLogger(),
      audit: auditFile(dataDir),
    })
    return {
      latchkey,
      stop: async () => {
        await latchkey.shutdown()
        keychain.stop()
      },
    }
  }

  // Alice signs in with a token that expires in 30 seconds: within `latchkey token`'s default minimum.
  const seeding = compose()
  await seeding.latchkey.loadSecrets()
  const step = await seeding.latchkey.beginSignIn('oidc', { issuer: oidc.issuer, clientId: oidc.clientId })
  if (step.kind !== 'browser') throw new Error(`expected a browser step, got ${step.kind}`)
  const done = await seeding.latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error(`sign-in did not finish: ${done.kind}`)
  const accountId = done.account.id
  await seeding.stop()
  ttlSeconds.value = 3600
  const baseline = oidc.refreshRequests()

  const run: CliFixture['run'] = (args, options = {}) => runProcess(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, ...args], options.env ?? env, options.onSpawn)

  const lockHolder = (): number | null => lockHolderOf(dataDir)

  const children: { stop(): Promise<void> }[] = []
  const tempDirs: string[] = []
  const stopHeadless = (): Promise<void> => stopLockHolder(dataDir)

  return {
    keyring,
    oidc,
    dataDir,
    accountId,
    env,
    ttlSeconds,
    secrets: () => oidc.issuedTokens(),
    refreshes: () => oidc.refreshRequests() - baseline,
    run,
    lockHolder,
    stopHeadless,
    compose,
    async startApp() {
      const renderer = mkdtempSync(join(tmpdir(), 'latchkey-cli-renderer-'))
      tempDirs.push(renderer)
      writeFileSync(join(renderer, 'web-bridge.js'), '')
      writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Latchkey</title>')
      const child = spawn(process.execPath, [join(ROOT, 'src/main/web/cli.ts'), '--no-open', '--data-dir', dataDir, '--renderer-dir', renderer], {
        // `latchkey open` opens the app's page with $BROWSER: here a command that does nothing.
        env: { ...env, BROWSER: 'true' },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((ready, fail) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('Latchkey is running at')) ready()
        })
        child.once('exit', (code) => fail(new Error(`the browser shell exited (${String(code)})`)))
      })
      const handle = {
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((stopped) => {
            // A child ended by a signal has no exit code, only a signal code.
            if (child.exitCode !== null || child.signalCode !== null) return stopped()
            child.once('exit', () => stopped())
            child.kill('SIGTERM')
          }),
      }
      children.push(handle)
      return handle
    },
    async stop() {
      for (const child of children) await child.stop()
      await stopHeadless()
      await oidc.stop()
      await keyring.stop()
      for (const dir of [dataDir, ...tempDirs]) rmSync(dir, { recursive: true, force: true })
    },
  }
}
