/**
 * The desktop shell itself. Runs wherever the Electron runtime exists; elsewhere each test is
 * skipped with the reason printed.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { findElectronRuntime } from '../../scripts/electron-runtime.mjs'

const runtime = findElectronRuntime()
const root = resolve(import.meta.dirname, '../..')

test.beforeAll(() => {
  if (!runtime.path) console.log(`Electron suite skipped: ${runtime.reason ?? 'no runtime'}.`)
})

test('opens a sandboxed window that exposes window.latchkey', async () => {
  test.skip(!runtime.path, `Electron runtime unavailable: ${runtime.reason ?? ''}`)
  const app = await electron.launch({
    executablePath: runtime.path,
    args: [root],
    env: { ...process.env, LATCHKEY_DATA_DIR: mkdtempSync(join(tmpdir(), 'lk-electron-')) },
  })
  try {
    const window = await app.firstWindow()
    await expect(window.locator('[data-app-state="ready"]')).toBeVisible()
    const api = await window.evaluate(() => Object.keys((window as unknown as { latchkey: object }).latchkey).sort())
    expect(api).toContain('accountsList')
    expect(api).toContain('authBegin')
    // No Node in the page (nodeIntegration off, sandboxed), and the bridge is the only thing exposed.
    const globals = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
      frozen: Object.isFrozen((window as unknown as { latchkey: object }).latchkey),
    }))
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', frozen: true })
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isPackaged)).toBe(false)
    // The window's webPreferences as Electron applied them.
    const preferences = await app.evaluate(({ BrowserWindow }) => {
      // Electron's own record of what it applied (used by its IPC layer; not in the typings).
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> } | undefined
      const applied = contents?.getLastWebPreferences()
      return {
        contextIsolation: applied?.contextIsolation,
        sandbox: applied?.sandbox,
        nodeIntegration: applied?.nodeIntegration,
        nodeIntegrationInWorker: applied?.nodeIntegrationInWorker,
        webSecurity: applied?.webSecurity,
        allowRunningInsecureContent: applied?.allowRunningInsecureContent,
        webviewTag: applied?.webviewTag,
      }
    })
    expect(preferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(window.url()).toMatch(/^app:\/\/latchkey\//)
  } finally {
    await app.close()
  }
})
