/**
 * Electron composition root: adapters → core → IPC → window. Kept thin; everything testable lives
 * in the core, which runs the same way in the browser shell.
 *
 * The same binary is the `latchkey` command (`--latchkey-cli …`, handled before anything else, so
 * packaged installs need no Node and no RunAsNode fuse) and the headless core it starts when the app
 * is not running (`--latchkey-headless`: no window until one is asked for, leaves when idle).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, clipboard, dialog, powerMonitor, protocol, session, shell } from 'electron'
import { electronBrowser } from './adapters/electron-browser.ts'
import { openElectronStoreSettings } from './adapters/electron-store-settings.ts'
import { jsonLogger } from './adapters/json-logger.ts'
import { keepRedirectPagesSwept, redirectPagesDir } from './adapters/redirect-page.ts'
import { accountFiles } from './adapters/account-files.ts'
import { auditFile } from './adapters/audit-file.ts'
import { cliHandler } from './cli-server/handle.ts'
import { EXIT_LOCK_HELD } from './cli-server/protocol.ts'
import { startCliServer } from './cli-server/server.ts'
import { cliEndpoint } from './cli-server/socket-path.ts'
import { acquireTakingOver } from './cli-server/take-over.ts'
import { keychainServiceName, keychainWorkerStore, type KeychainWorkerStore } from './adapters/keychain-worker/client.ts'
import { utilityKeychainWorker } from './adapters/keychain-worker/electron-worker.ts'
import { composeLatchkey } from './compose.ts'
import type { Latchkey } from './core/app/latchkey.ts'
import { bindIpc, eventsTo } from './ipc/electron-binding.ts'
import { allowOrigins } from './ipc/sender-policy.ts'
import { presetsFromEnv } from './presets.ts'
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, serveRenderer } from './security/app-protocol.ts'
import type { FirstFrame } from './web/framed-page.ts'
import { denyPermissions, guardWebContents } from './security/guards.ts'
import { secureWebPreferences } from './security/web-preferences.ts'
import { releaseBurstGarbage, releaseStartUpGarbage } from './garbage-release.ts'
import { keepYoungGenerationSmall } from './young-generation.ts'

const cliAt = process.argv.indexOf('--latchkey-cli')
const headless = process.argv.includes('--latchkey-headless')
/** What to pass this binary so it runs this app (the app folder when Electron runs it unpackaged). */
const appArgs = process.defaultApp ? [app.getAppPath()] : []
const HEADLESS_IDLE_MS = Number(process.env.LATCHKEY_HEADLESS_IDLE_SECONDS ?? '300') * 1000

if (cliAt >= 0) {
  void runCommandLine(process.argv.slice(cliAt + 1))
} else {
  // The data folder first: the single-instance lock is per folder.
  if (process.env.LATCHKEY_DATA_DIR) app.setPath('userData', process.env.LATCHKEY_DATA_DIR)
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

  if (!app.requestSingleInstanceLock()) {
    // The running one opens its window (see 'second-instance'); a headless start just leaves.
    if (headless) app.exit(EXIT_LOCK_HELD)
    else app.quit()
  } else {
    main().catch((error: unknown) => {
      if (headless) app.exit(1)
      dialog.showErrorBox('Latchkey could not start', error instanceof Error ? error.message : String(error))
      app.exit(1)
    })
  }
}

/** `latchkey …` run by this binary: the command's bundle next to the app's, with this binary as its headless core. */
async function runCommandLine(args: string[]): Promise<void> {
  const url = pathToFileURL(join(import.meta.dirname, '../cli/latchkey.js')).href
  const { runCli } = (await import(url)) as typeof import('../cli/latchkey.ts')
  const env = (dataDir: string): NodeJS.ProcessEnv => ({ ...process.env, LATCHKEY_DATA_DIR: dataDir })
  const code = await runCli(args, {
    headless: (dataDir) => ({ command: process.execPath, args: [...appArgs, '--latchkey-headless'], env: env(dataDir) }),
    startApp: (dataDir) => spawn(process.execPath, appArgs, { detached: true, stdio: 'ignore', env: env(dataDir) }).unref(),
    keychainService: keychainServiceName(app.isPackaged),
  })
  app.exit(code)
}

async function main(): Promise<void> {
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const pageUrl = devServer ?? `${APP_ORIGIN}/index.html`
  const isOwnPage = allowOrigins(devServer ? [APP_ORIGIN, devServer] : [APP_ORIGIN])
  const logger = jsonLogger({ file: join(app.getPath('logs'), 'latchkey.log'), gather: true })
  // The lines it gathered are written as Latchkey quits (they are also written at the process's exit).
  app.on('will-quit', () => logger.flush())
  guardWebContents(app, isOwnPage, logger)

  await app.whenReady()
  // The browser shell may be running on the same folder; two processes must not refresh the same tokens.
  const lock = await acquireTakingOver(app.getPath('userData'))
  if (!lock.acquired && headless) app.exit(EXIT_LOCK_HELD)
  if (!lock.acquired) throw new Error(`Latchkey is already running with this data folder (process ${String(lock.heldBy)}).`)
  denyPermissions(session.defaultSession)
  // Forwarding pages a crashed run left behind carry sign-in addresses: gone at start, and kept swept.
  keepRedirectPagesSwept(redirectPagesDir(app.getPath('userData')))
  // The account list's first frame is drawn into the page once the accounts are read (below).
  let drawFrame: () => Promise<FirstFrame | null> = () => Promise.resolve(null)
  serveRenderer(protocol, join(import.meta.dirname, '../renderer'), logger, () => drawFrame())

  // keytar runs in a utility process of its own (keychain-worker.js next to this file).
  const keychain = keychainWorkerStore(utilityKeychainWorker(join(import.meta.dirname, 'keychain-worker.js')), keychainServiceName(app.isPackaged))
  // Before the accounts are read, and not before: see young-generation.ts (the command line never sets it).
  keepYoungGenerationSmall()
  const { latchkey, router } = composeLatchkey({
    shell: 'electron',
    version: app.getVersion(),
    settings: (trustedStamp) => openElectronStoreSettings({ cwd: app.getPath('userData'), trustedStamp }),
    accountFiles: accountFiles(join(app.getPath('userData'), 'accounts')),
    secrets: { store: keychain },
    browser: electronBrowser(shell, { platform: process.platform, pagesDir: redirectPagesDir(app.getPath('userData')) }),
    clipboard: {
      writeText: (text) => clipboard.writeText(text),
      readText: () => clipboard.readText(),
      clear: () => {
        clipboard.clear()
        return Promise.resolve()
      },
    },
    logger,
    presets: presetsFromEnv(process.env.LATCHKEY_PRESETS, logger),
    audit: auditFile(app.getPath('userData')),
    afterRefreshBurst: releaseBurstGarbage(logger),
  })
  bindIpc(router, isOwnPage, logger)
  const frames = import('./web/first-frame.ts').catch((error: unknown) => {
    logger.error('app.first-frame-unavailable', { error: error instanceof Error ? error.message : String(error) })
    return null
  })
  drawFrame = async () => (await frames)?.drawFirstFrame(router, logger) ?? null
  powerMonitor.on('resume', () => latchkey.resumed())
  quitAfterKeychainWrites(latchkey, keychain)

  let window: BrowserWindow | null = null
  let lastActivity = Date.now()
  const showWindow = async (): Promise<void> => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
      return
    }
    window = await openWindow(latchkey, pageUrl, logger)
    window.on('closed', () => latchkey.windowClosed())
  }
  latchkey.setPromptable(() => window !== null && !window.isDestroyed() && window.isVisible())
  // `latchkey` on the command line talks to this process over the data folder's socket.
  const cli = await startCliServer(
    cliEndpoint(app.getPath('userData')),
    cliHandler(latchkey, {
      kind: headless ? 'headless' : 'electron',
      open: showWindow,
      yieldToApp: () => false,
    }),
    logger,
  )
  app.on('will-quit', () => void cli.close())
  app.on('second-instance', () => void showWindow())
  app.on('window-all-closed', () => app.quit())
  if (headless) {
    restoreSessions(latchkey, logger)
    const idle = setInterval(() => {
      if (window) clearInterval(idle)
      else if (cli.busy === 0 && Date.now() - lastActivity >= HEADLESS_IDLE_MS) app.quit()
      if (cli.busy > 0) lastActivity = Date.now()
    }, 5_000)
    return
  }
  await showWindow()
}

/** The app's window: shown at first paint, after which the keychain is read. */
async function openWindow(latchkey: Latchkey, pageUrl: string, logger: ReturnType<typeof jsonLogger>): Promise<BrowserWindow> {
  // electronegativity: contextIsolation, sandbox, Auxclick off and the rest come from secureWebPreferences() (tested there)
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Latchkey',
    icon: join(import.meta.dirname, '../../build/icon.png'),
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  })
  latchkey.subscribe(eventsTo(window.webContents))
  window.once('ready-to-show', () => {
    window.show()
    // The one keychain read (the vault key) happens after the first paint.
    restoreSessions(latchkey, logger)
  })
  await window.loadURL(pageUrl)
  return window
}

/** Reads the vault key and restores the sessions; once they are live, start-up's garbage goes (see garbage-release.ts). */
function restoreSessions(latchkey: Latchkey, logger: ReturnType<typeof jsonLogger>): void {
  void latchkey
    .loadSecrets()
    .catch((error: unknown) => logger.error('secrets.load-failed', { error: String(error) }))
    .finally(releaseStartUpGarbage)
}

/** Quitting waits for session writes under way, so no rotated token is lost; then the keychain worker ends. */
function quitAfterKeychainWrites(latchkey: Latchkey, keychain: KeychainWorkerStore): void {
  let flushed = false
  app.on('before-quit', (event) => {
    if (flushed) return
    event.preventDefault()
    void latchkey.shutdown().finally(() => {
      keychain.stop()
      flushed = true
      app.quit()
    })
  })
}
