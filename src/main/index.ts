/**
 * Electron composition root: adapters → core → IPC → window. Kept thin; everything testable lives
 * in the core, which runs the same way in the browser shell.
 */
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, powerMonitor, protocol, session } from 'electron'
import { jsonLogger } from './adapters/json-logger.ts'
import { electronBrowser } from './adapters/electron-browser.ts'
import { openElectronStoreSettings } from './adapters/electron-store-settings.ts'
import { keychainServiceName, loadKeytarSecretStore } from './adapters/keytar-secret-store.ts'
import { composeLatchkey } from './compose.ts'
import { presetsFromEnv } from './presets.ts'
import { bindIpc, eventsTo } from './ipc/electron-binding.ts'
import { allowOrigins } from './ipc/sender-policy.ts'
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, serveRenderer } from './security/app-protocol.ts'
import { denyPermissions, guardWebContents } from './security/guards.ts'
import { secureWebPreferences } from './security/web-preferences.ts'

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void main()
}

async function main(): Promise<void> {
  if (process.env.LATCHKEY_DATA_DIR) app.setPath('userData', process.env.LATCHKEY_DATA_DIR)
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const pageUrl = devServer ?? `${APP_ORIGIN}/index.html`
  const isOwnPage = allowOrigins(devServer ? [APP_ORIGIN, devServer] : [APP_ORIGIN])
  const logger = jsonLogger({ file: join(app.getPath('logs'), 'latchkey.log') })
  guardWebContents(app, isOwnPage, logger)

  await app.whenReady()
  denyPermissions(session.defaultSession)
  serveRenderer(protocol, join(import.meta.dirname, '../renderer'))

  const { latchkey, router } = composeLatchkey({
    shell: 'electron',
    version: app.getVersion(),
    settings: openElectronStoreSettings({ cwd: app.getPath('userData') }),
    secrets: await loadKeytarSecretStore(keychainServiceName(app.isPackaged)),
    browser: electronBrowser,
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    logger,
    presets: presetsFromEnv(process.env.LATCHKEY_PRESETS, logger),
  })
  bindIpc(router, isOwnPage, logger)
  powerMonitor.on('resume', () => latchkey.resumed())

  // electronegativity: contextIsolation, sandbox, Auxclick off and the rest come from secureWebPreferences() (tested there)
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Latchkey',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  })
  latchkey.subscribe(eventsTo(window.webContents))
  window.once('ready-to-show', () => {
    window.show()
    // Keychain reads happen after the first paint, in one batch.
    void latchkey.loadSecrets()
  })
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('window-all-closed', () => {
    latchkey.dispose()
    app.quit()
  })
  await window.loadURL(pageUrl)
}
