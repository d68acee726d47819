/**
 * The app composed on real settings and account files in a temporary folder: accounts that a
 * damaged settings file still held, and the per-account keychain items older versions kept for
 * them, are offered back (never kept out of sight), sessions included.
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { accountFiles } from './adapters/account-files.ts'
import { openConfSettings } from './adapters/conf-settings.ts'
import { composeLatchkey } from './compose.ts'
import { encodeSecrets } from './core/app/account-secrets.ts'
import type { Latchkey } from './core/app/latchkey.ts'
import type { Logger } from './core/ports.ts'
import { fakeKeychain } from './core/testing/fake-keychain.ts'
import { fakeSession } from './core/testing/fake-provider.ts'
import { SETTINGS_PROJECT_VERSION } from './core/settings/schema.ts'
import { useTempDirs } from '../dev/temp-dirs.ts'

const tempDir = useTempDirs()

const quiet: Logger = { info() {}, warn() {}, error() {} }
const HOUR = 3_600_000
let running: Latchkey | undefined
afterEach(() => {
  running?.dispose()
  running = undefined
})

function account(id: string, label: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    label,
    provider: 'oidc',
    config: { issuer: 'https://id.example.test', clientId: 'latchkey' },
    identity: { subject: id, name: label, email: null },
    createdAt: '2025-01-01T00:00:00.000Z',
    lastRefreshAt: null,
    expiresAt: null,
    ...extra,
  }
}

function compose(dataDir: string, keychain: ReturnType<typeof fakeKeychain>): Latchkey {
  const { latchkey } = composeLatchkey({
    shell: 'browser',
    version: 'test',
    settings: openConfSettings({ cwd: dataDir }),
    accountFiles: accountFiles(join(dataDir, 'accounts')),
    secrets: { store: keychain },
    browser: { open: () => Promise.resolve() },
    clipboard: null,
    logger: quiet,
  })
  running = latchkey
  return latchkey
}

describe('accounts missing from the settings', () => {
  it("offers back the accounts a damaged settings file held, with the sessions an older version kept for them in the keychain", async () => {
    const dataDir = tempDir('lk-compose-')
    // Written by a version before the vault (one keychain item per account) and before 1.0.0 (no
    // attention, signedOut or profile), then damaged: one entry breaks the schema, so conf refuses it.
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        accounts: [account('acct-work', 'Work'), account('acct-bad', 'Bad', { provider: 'no-such-backend' })],
        activeAccountId: 'acct-work',
        __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } },
      }),
    )
    const session = fakeSession(Date.now(), HOUR)
    const keychain = fakeKeychain({
      'acct-work': encodeSecrets({ session, config: {} }),
      // Another data folder's account: not this folder's to take.
      'acct-elsewhere': encodeSecrets({ session: fakeSession(Date.now(), HOUR), config: {} }),
    })
    const latchkey = compose(dataDir, keychain)
    expect(latchkey.accounts()).toEqual([])
    const notices = latchkey.appState().notices
    expect(notices.map((n) => n.id)).toEqual(['settings-recovered', 'orphaned-accounts'])
    expect(notices[1]?.message).toContain('(Work)')
    expect(notices[1]?.action?.label).toBe('Restore account')

    await latchkey.loadSecrets()
    // Moved into the account's own file (sealed), and only then deleted from the keychain.
    expect([...keychain.items.keys()].filter((name) => !name.startsWith('vault-key:')).sort()).toEqual(['acct-elsewhere'])
    expect(readdirSync(join(dataDir, 'accounts'))).toContain('acct-work.json')

    latchkey.noticeAction('orphaned-accounts')
    await new Promise((resolve) => setTimeout(resolve, 0))
    const [restored] = latchkey.accounts()
    expect(restored).toMatchObject({ id: 'acct-work', label: 'Work', status: 'signed-in', hasSession: true })
    expect(latchkey.appState().notices.map((n) => n.id)).toEqual(['settings-recovered'])
  })

  it('after a restart, the restored account and its session are still there', async () => {
    const dataDir = tempDir('lk-compose-')
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ accounts: [account('acct-home', 'Home'), { id: 42 }], activeAccountId: null }))
    const keychain = fakeKeychain({ 'acct-home': encodeSecrets({ session: fakeSession(Date.now(), HOUR), config: {} }) })
    const first = compose(dataDir, keychain)
    await first.loadSecrets()
    first.noticeAction('orphaned-accounts')
    await first.shutdown()
    const again = compose(dataDir, keychain)
    expect(again.appState().notices).toEqual([])
    await again.loadSecrets()
    expect(again.accounts()).toMatchObject([{ id: 'acct-home', status: 'signed-in', hasSession: true }])
  })
})
