/**
 * Test fixtures: every test gets its own real keychain (gnome-keyring on a private D-Bus), its own
 * real OpenID Connect server, its own PocketBase (or BosBase) emulator that signs people in through
 * that OpenID Connect server for OAuth2, its own settings folder, and Latchkey's browser shell as a
 * child process. "The system browser" is a second Playwright page fed by the browser relay.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test as base, type Page } from '@playwright/test'
import { startDemo } from '../../src/dev/demo.ts'
import { freePort } from '../../src/dev/free-port.ts'
import { startKeyringSession } from '../../src/dev/keyring-session.ts'
import { startOidcServer, type OidcServer } from '../../src/dev/oidc-server.ts'
import { DEMO_POCKETBASE_OIDC_CLIENT } from '../../src/dev/pocketbase/demo-users.ts'
import { startPocketBaseEmulator, type PocketBaseEmulator, type PocketBaseMode } from '../../src/dev/pocketbase/server.ts'
import { startTeableEmulator, type TeableEmulator } from '../../src/dev/teable/server.ts'
import { startHbpEmulator, type HbpEmulator } from '../../src/dev/synmetrix/server.ts'
import { DEMO_AUTHING_USERS, DEMO_UDFS } from '../../src/dev/authing/demo-users.ts'
import { startAuthingEmulator, type AuthingEmulator } from '../../src/dev/authing/server.ts'
import { AppPage } from '../pages/app-page.ts'
import { startBrowserRelay, type BrowserRelay } from './browser-relay.ts'
import { readVaultKey } from './keychain.ts'
import { authingCodes, cliSocketKey, dataDirTexts, findLeaks, issuedSecrets, launchKeys, mailedSecrets, signInParameters } from './leaks.ts'
import { typedCodes, typedPasswords } from './passwords.ts'
import { startShell, type ShellProcess } from './shell-process.ts'
import { startSupabase, supabaseSecrets, type SupabaseServer, type SupabaseTarget } from './supabase.ts'

export interface Latchkey {
  dataDir: string
  shell: ShellProcess
  app: AppPage
  /** Stops the shell and starts it again on the same settings and keychain; reloads the page unless `reload` is false. */
  restart(options?: { whileStopped?: () => void; reload?: boolean }): Promise<void>
  /** Opens the page Latchkey handed to "the system browser". */
  nextBrowserPage(): Promise<Page>
}

interface Options {
  tokenTtlSeconds: number
  keychain: 'available' | 'missing'
  /** Start the shell the way `npm run demo` does: with the demo servers offered as presets. */
  demo: boolean
  /** Which server the `pb` emulator plays. */
  pbMode: PocketBaseMode
  /** The `users` collection's token duration; undefined = the server's own default (PocketBase: 5 days). */
  pbTokenSeconds: number | undefined
  /** "The system browser": the relay, or an opener that fails (a machine where no browser opens). */
  opener: 'relay' | 'failing'
  /** The Synmetrix emulator's JWT_EXPIRES_IN in minutes (fractions allowed for tests); undefined = Synmetrix's 10800. */
  hbpJwtMinutes: number | undefined
  /** The Supabase Auth server's access-token lifetime (GOTRUE_JWT_EXP). */
  sbJwtExpSeconds: number
  /** Only for a step the real Supabase Auth server cannot take in a test; otherwise the real one when it can run. */
  sbTarget: SupabaseTarget | undefined
  /** The Supabase Auth server asks for a reauthentication code before a password change (emulator: at once). */
  sbReauthentication: boolean
}

/** The name the PocketBase emulator gives the OpenID Connect server on its "Continue with …" button. */
export const PB_OAUTH2_NAME = 'Demo OpenID Connect'

interface Fixtures {
  keyringEnv: Record<string, string>
  idp: OidcServer
  /** A PocketBase / BosBase server whose `users` sign in with OAuth2 at `idp`. */
  pb: PocketBaseEmulator
  /** A Teable server with the demo Teable users. */
  teable: TeableEmulator
  /** A Synmetrix (hasura-backend-plus) emulator with Synmetrix's settings and the demo users. */
  hbp: HbpEmulator
  /** An Authing app host; its browser sign-in callback is registered on `authingCallbackPort`. */
  authing: AuthingEmulator
  /** A free loopback port, registered with `authing` as the exact callback (the pinned port). */
  authingCallbackPort: number
  relay: BrowserRelay
  /** A Supabase Auth server (started only by tests that use it). */
  sb: SupabaseServer
  latchkey: Latchkey
}

export const test = base.extend<Options & Fixtures>({
  tokenTtlSeconds: [3600, { option: true }],
  keychain: ['available', { option: true }],
  demo: [false, { option: true }],
  pbMode: ['pocketbase', { option: true }],
  pbTokenSeconds: [undefined, { option: true }],
  opener: ['relay', { option: true }],
  hbpJwtMinutes: [undefined, { option: true }],
  sbJwtExpSeconds: [3600, { option: true }],
  sbTarget: [undefined, { option: true }],
  sbReauthentication: [false, { option: true }],

  sb: async ({ sbJwtExpSeconds, sbTarget, sbReauthentication }, use) => {
    const server = await startSupabase({
      jwtExpSeconds: sbJwtExpSeconds,
      ...(sbTarget === undefined ? {} : { target: sbTarget }),
      ...(sbReauthentication ? { requireReauthentication: true, reauthenticationAfterSeconds: 0 } : {}),
    })
    supabaseSecrets.push(() => server.secrets())
    await use(server)
    await server.stop()
  },

  keyringEnv: async ({ keychain }, use) => {
    if (keychain === 'missing') {
      const dir = mkdtempSync(join(tmpdir(), 'lk-nobus-'))
      await use({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, DISPLAY: '' })
      rmSync(dir, { recursive: true, force: true })
      return
    }
    const session = await startKeyringSession()
    await use(session.env)
    await session.stop()
  },

  idp: async ({ tokenTtlSeconds }, use) => {
    const pocketBaseClient = DEMO_POCKETBASE_OIDC_CLIENT
    const server = await startOidcServer({ accessTokenTtlSeconds: tokenTtlSeconds, extraClients: [pocketBaseClient] })
    await use(server)
    await server.stop()
  },

  pb: async ({ idp, pbMode, pbTokenSeconds }, use) => {
    const server = await startPocketBaseEmulator({
      mode: pbMode,
      ...(pbTokenSeconds === undefined ? {} : { tokenDurationSeconds: pbTokenSeconds }),
      upstream: {
        issuer: idp.issuer,
        clientId: DEMO_POCKETBASE_OIDC_CLIENT.client_id,
        clientSecret: DEMO_POCKETBASE_OIDC_CLIENT.client_secret,
        displayName: PB_OAUTH2_NAME,
      },
    })
    await use(server)
    await server.stop()
  },

  hbp: async ({ hbpJwtMinutes }, use) => {
    const server = await startHbpEmulator(hbpJwtMinutes === undefined ? {} : { jwtExpiresInMinutes: hbpJwtMinutes })
    await use(server)
    await server.stop()
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  teable: async ({}, use) => {
    const server = await startTeableEmulator()
    await use(server)
    await server.stop()
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  authingCallbackPort: async ({}, use) => {
    await use(await freePort())
  },

  authing: async ({ authingCallbackPort }, use) => {
    const server = await startAuthingEmulator({
      users: [...DEMO_AUTHING_USERS],
      udfs: [...DEMO_UDFS],
      methods: { verifyCodeMethods: ['phone-code', 'email-code'] },
      redirectUris: [`http://127.0.0.1:${String(authingCallbackPort)}/callback`],
    })
    await use(server)
    await server.stop()
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  relay: async ({}, use) => {
    const relay = await startBrowserRelay()
    await use(relay)
    await relay.close()
  },

  latchkey: async ({ page, keyringEnv, keychain, relay, demo, idp, pb, hbp, opener, teable, authing }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-data-'))
    const demoServers = demo ? await startDemo({ ports: { oidc: 0, pocketbase: 0, bosbase: 0, teable: 0, synmetrix: 0, supabase: 0 } }) : null
    const env: Record<string, string> = {
      ...keyringEnv,
      ...(demoServers ? { LATCHKEY_PRESETS: JSON.stringify(demoServers.presets) } : {}),
      BROWSER:
        opener === 'relay'
          ? `${process.execPath} ${join(import.meta.dirname, 'browser-relay.mjs')}`
          : `${process.execPath} -e process.exit(3)`,
      LATCHKEY_E2E_RELAY: relay.url,
    }
    const shells: ShellProcess[] = [await startShell({ dataDir, env })]
    const socketKeys = [cliSocketKey(dataDir, env, 1)]
    const current = (): ShellProcess => shells.at(-1) as ShellProcess
    const app = new AppPage(page)
    await app.open(current().url)
    const latchkey: Latchkey = {
      dataDir,
      get shell() {
        return current()
      },
      app,
      async restart(options) {
        await current().stop()
        options?.whileStopped?.()
        shells.push(await startShell({ dataDir, env }))
        socketKeys.push(cliSocketKey(dataDir, env, shells.length))
        if (options?.reload !== false) {
          // The shell comes back on its port: leave the page first, so the app loads afresh (not a fragment change).
          await page.goto('about:blank')
          await app.open(current().url)
        }
      },
      async nextBrowserPage() {
        // Sign-in pages only: a sign-out page the app opened is not what the test is waiting for.
        const url = await relay.next((candidate) => !new URL(candidate).pathname.includes('/session/end'))
        const browserPage = await page.context().newPage()
        await browserPage.goto(url)
        return browserPage
      },
    }
    await use(latchkey)
    let demoStopped = false
    try {
      // After every test: no token any server issued, no code or token it mailed, and no password a
      // test typed may appear in settings, logs, output or the page. What is typed into an <input> is
      // only its `value` property, never in the markup `page.content()` returns.
      const places = [
        ...dataDirTexts(dataDir),
        ...shells.map((s, i) => ({ name: `shell output ${String(i + 1)}`, text: s.output() })),
        ...(page.isClosed() ? [] : [{ name: 'renderer DOM', text: await page.content() }]),
      ]
      await current().stop()
      // The vault key is a secret too: only the keychain may hold it.
      const vaultKey = keychain === 'available' ? readVaultKey(dataDir, keyringEnv) : null
      if (vaultKey) expect(findLeaks([{ name: 'the vault key', value: vaultKey }], places), 'the vault key found outside the keychain').toEqual([])
      const issued = [...idp.issuedTokens(), ...pb.issuedTokens(), ...teable.issuedSecrets(), ...hbp.issuedSecrets(), ...authing.issuedTokens(), ...(demoServers?.issuedTokens() ?? [])]
      demoStopped = true
      await demoServers?.stop()
      expect(findLeaks(issuedSecrets(issued), places), 'tokens found outside the keychain').toEqual([])
      const typedOrMailed = [...mailedSecrets(pb.outbox.messages()), ...mailedSecrets(hbp.outbox.messages()), ...authingCodes(authing.outbox.messages()), ...typedPasswords(), ...typedCodes(), ...supabaseSecrets.splice(0).flatMap((secrets) => secrets())]
      expect(findLeaks(typedOrMailed, places), 'passwords, codes or emailed tokens found where they must not be').toEqual([])
      // The launch key lives only in the private launch page; a sign-in's state and PKCE challenge
      // may be shown (window, terminal) but never reach a file such as the log.
      const notLaunchPage = places.filter((place) => !place.name.endsWith('open-latchkey.html'))
      expect(findLeaks(launchKeys(shells.map((s) => s.url)), notLaunchPage), 'launch key found outside its launch page').toEqual([])
      // The command line's socket key lives only in its key file (and the requests on the socket).
      const notKeyFile = places.filter((place) => !socketKeys.some((key) => key.file === place.name))
      expect(findLeaks(socketKeys, notKeyFile), 'command-line socket key found outside its key file').toEqual([])
      const files = dataDirTexts(dataDir).filter((place) => !/open-latchkey\.html$|[\\/]open[\\/]open-[0-9a-f]+\.html$/.test(place.name))
      expect(findLeaks(signInParameters(relay.opened()), files), 'sign-in state found in a file').toEqual([])
    } finally {
      // Checked or not, nothing of the test stays behind: the shell, the demo servers, the settings folder.
      await current().stop()
      if (!demoStopped) await demoServers?.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
})

export { expect } from '@playwright/test'
