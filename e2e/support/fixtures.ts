/**
 * Test fixtures: every test gets its own real keychain (gnome-keyring on a private D-Bus), its own
 * real OpenID Connect server, its own settings folder, and Latchkey's browser shell as a child
 * process. "The system browser" is a second Playwright page fed by the browser relay.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { startDemo } from '../../src/dev/demo.ts'
import { startKeyringSession } from '../../src/dev/keyring-session.ts'
import { startOidcServer, type OidcServer } from '../../src/dev/oidc-server.ts'
import { AppPage } from '../pages/app-page.ts'
import { startBrowserRelay, type BrowserRelay } from './browser-relay.ts'
import { startShell, type ShellProcess } from './shell-process.ts'

export interface Latchkey {
  dataDir: string
  shell: ShellProcess
  app: AppPage
  /** Stops the shell and starts it again on the same settings and keychain; reloads the page. */
  restart(options?: { whileStopped?: () => void }): Promise<void>
  /** Opens the page Latchkey handed to "the system browser". */
  nextBrowserPage(): Promise<Page>
}

interface Options {
  tokenTtlSeconds: number
  keychain: 'available' | 'missing'
  /** Start the shell the way `npm run demo` does: with the demo servers offered as presets. */
  demo: boolean
}

export const test = base.extend<Options & { keyringEnv: Record<string, string>; idp: OidcServer; relay: BrowserRelay; latchkey: Latchkey }>({
  tokenTtlSeconds: [3600, { option: true }],
  keychain: ['available', { option: true }],
  demo: [false, { option: true }],

  keyringEnv: async ({ keychain }, use) => {
    if (keychain === 'missing') {
      const dir = mkdtempSync(join(tmpdir(), 'lk-nobus-'))
      await use({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, DISPLAY: '' })
      return
    }
    const session = await startKeyringSession()
    await use(session.env)
    await session.stop()
  },

  idp: async ({ tokenTtlSeconds }, use) => {
    const server = await startOidcServer({ accessTokenTtlSeconds: tokenTtlSeconds })
    await use(server)
    await server.stop()
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  relay: async ({}, use) => {
    const relay = await startBrowserRelay()
    await use(relay)
    await relay.close()
  },

  latchkey: async ({ page, keyringEnv, relay, demo }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-data-'))
    const demoServers = demo ? await startDemo({ oidcPort: 0 }) : null
    const env: Record<string, string> = {
      ...keyringEnv,
      ...(demoServers ? { LATCHKEY_PRESETS: JSON.stringify(demoServers.presets) } : {}),
      BROWSER: `${process.execPath} ${join(import.meta.dirname, 'browser-relay.mjs')}`,
      LATCHKEY_E2E_RELAY: relay.url,
    }
    let shell = await startShell({ dataDir, env })
    const app = new AppPage(page)
    await app.open(shell.url)
    const latchkey: Latchkey = {
      dataDir,
      get shell() {
        return shell
      },
      app,
      async restart(options) {
        await shell.stop()
        options?.whileStopped?.()
        shell = await startShell({ dataDir, env })
        await app.open(shell.url)
      },
      async nextBrowserPage() {
        const url = await relay.next()
        const browserPage = await page.context().newPage()
        await browserPage.goto(url)
        return browserPage
      },
    }
    await use(latchkey)
    await shell.stop()
    await demoServers?.stop()
  },
})

export { expect } from '@playwright/test'
