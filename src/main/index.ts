/**
 * Electron composition root: adapters → core → IPC → window. Kept thin; everything testable lives
 * in the core, which runs the same way in the browser shell.
 */
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, dialog, powerMonitor, protocol, session, shell } from 'electron'
import { electronBrowser } from './adapters/electron-browser.ts'
import { openElectronStoreSettings } from './adapters/electron-store-settings.ts'
import { acquireInstanceLock } from './adapters/instance-lock.ts'
import { jsonLogger } from './adapters/json-logger.ts'
import { keepRedirectPagesSwept, redirectPagesDir } from './adapters/redirect-page.ts'
import { accountFiles } from './adapters/account-files.ts'
import { keychainServiceName, keychainWorkerStore, type KeychainWorkerStore } from './adapters/keychain-worker/client.ts'
import { utilityKeychainWorker } from './adapters/keychain-worker/electron-worker.ts'
import { composeLatchkey } from './compose.ts'
import type { Latchkey } from './core/app/latchkey.ts'
import { bindIpc, eventsTo } from './ipc/electron-binding.ts'
import { allowOrigins } from './ipc/sender-policy.ts'
import { presetsFromEnv } from './presets.ts'
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, serveRenderer } from './security/app-protocol.ts'
import { denyPermissions, guardWebContents } from './security/guards.ts'
import { secureWebPreferences } from './security/web-preferences.ts'

// The data folder first: the single-instance lock is per folder.
if (process.env.LATCHKEY_DATA_DIR) app.setPath('userData', process.env.LATCHKEY_DATA_DIR)
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  main().catch((error: unknown) => {
    dialog.showErrorBox('Latchkey could not start', error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
}

async function main(): Promise<void> {
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const pageUrl = devServer ?? `${APP_ORIGIN}/index.html`
  const isOwnPage = allowOrigins(devServer ? [APP_ORIGIN, devServer] : [APP_ORIGIN])
  const logger = jsonLogger({ file: join(app.getPath('logs'), 'latchkey.log') })
  guardWebContents(app, isOwnPage, logger)

  await app.whenReady()
  // The browser shell may be running on the same folder; two processes must not refresh the same tokens.
  const lock = acquireInstanceLock(app.getPath('userData'))
  if (!lock.acquired) throw new Error(`Latchkey is already running with this data folder (process ${String(lock.heldBy)}).`)
  denyPermissions(session.defaultSession)
  // Forwarding pages a crashed run left behind carry sign-in addresses: gone at start, and kept swept.
  keepRedirectPagesSwept(redirectPagesDir(app.getPath('userData')))
  serveRenderer(protocol, join(import.meta.dirname, '../renderer'))

  // keytar runs in a utility process of its own (keychain-worker.js next to this file).
  const keychain = keychainWorkerStore(utilityKeychainWorker(join(import.meta.dirname, 'keychain-worker.js')), keychainServiceName(app.isPackaged))
  const { latchkey, router } = composeLatchkey({
    shell: 'electron',
    version: app.getVersion(),
    settings: openElectronStoreSettings({ cwd: app.getPath('userData') }),
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
  })
  bindIpc(router, isOwnPage, logger)
  powerMonitor.on('resume', () => latchkey.resumed())
  quitAfterKeychainWrites(latchkey, keychain)

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
    latchkey.loadSecrets().catch((error: unknown) => logger.error('secrets.load-failed', { error: String(error) }))
  })
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('window-all-closed', () => app.quit())
  await window.loadURL(pageUrl)
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
