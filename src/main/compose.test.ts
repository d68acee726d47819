/**
 * The app composed on real settings and account files in a temporary folder: accounts that a
 * damaged settings file still held, and the per-account keychain items older versions kept for
 * them, are offered back (never kept out of sight), sessions included.
 */
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { accountFiles } from './adapters/account-files.ts'
import Conf from 'conf'
import { openConfSettings } from './adapters/conf-settings.ts'
import { openSettingsFile } from './adapters/settings-file.ts'
import { composeLatchkey, type ShellAdapters } from './compose.ts'
import { encodeSecrets } from './core/app/account-secrets.ts'
import type { Latchkey } from './core/app/latchkey.ts'
import type { Logger } from './core/ports.ts'
import { fakeKeychain } from './core/testing/fake-keychain.ts'
import { fakeSession } from './core/testing/fake-provider.ts'
import { SETTINGS_PROJECT_VERSION, type SettingsData } from './core/settings/schema.ts'
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

function compose(dataDir: string, keychain: ReturnType<typeof fakeKeychain>, settings: ShellAdapters['settings'] = openConfSettings({ cwd: dataDir })): Latchkey {
  const { latchkey } = composeLatchkey({
    shell: 'browser',
    version: 'test',
    settings,
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

describe('the start-up index on disk', () => {
  /** Composes like the shells do, counting how often the settings file is opened (read and checked whole). */
  /** Composes like the shells do, counting how often the settings file is opened (read and checked whole). */
  function composeCounting(dataDir: string, keychain: ReturnType<typeof fakeKeychain>) {
    const opened = { count: 0 }
    const create = (options: Parameters<Parameters<typeof openSettingsFile>[0]>[0]) => {
      opened.count++
      return new Conf<SettingsData>(options)
    }
    const latchkey = compose(dataDir, keychain, (trustedStamp) => openSettingsFile(create, { cwd: dataDir, trustedStamp }))
    return { latchkey, opened }
  }

  function dataDirWithTwo(): string {
    const dataDir = tempDir('lk-compose-')
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        accounts: [account('acct-a', 'Alpha', { profile: {}, attention: null, signedOut: false }), account('acct-b', 'Beta', { profile: {}, attention: null, signedOut: false })],
        activeAccountId: 'acct-a',
        __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } },
      }),
    )
    return dataDir
  }

  /** A data folder Latchkey started on once and quit cleanly (leaving the index). */
  async function startedAndQuit() {
    const dataDir = dataDirWithTwo()
    const keychain = fakeKeychain()
    const first = composeCounting(dataDir, keychain)
    await first.latchkey.loadSecrets()
    await first.latchkey.shutdown()
    return { dataDir, keychain }
  }

  it('after a clean quit, the next start does not open the settings file until something is written to it', async () => {
    const dataDir = dataDirWithTwo()
    const keychain = fakeKeychain()
    const first = composeCounting(dataDir, keychain)
    // A current settings file is read and checked once, without conf.
    expect(first.opened.count).toBe(0)
    await first.latchkey.loadSecrets()
    await first.latchkey.shutdown()
    expect(readdirSync(join(dataDir, 'accounts'))).toContain('index')

    const second = composeCounting(dataDir, keychain)
    expect(second.latchkey.accounts().map((a) => [a.label, a.active])).toEqual([
      ['Alpha', true],
      ['Beta', false],
    ])
    expect(second.opened.count).toBe(0)
    // Switching writes the settings file: opened then.
    second.latchkey.switchTo('acct-b')
    await second.latchkey.shutdown()
    expect(second.opened.count).toBe(1)
    expect((JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as SettingsData).activeAccountId).toBe('acct-b')

    const third = composeCounting(dataDir, keychain)
    expect(third.latchkey.accounts().find((a) => a.active)?.id).toBe('acct-b')
    expect(third.opened.count).toBe(0)
  })

  it('a settings file changed while Latchkey was closed is read again, not taken from the index', async () => {
    const { dataDir, keychain } = await startedAndQuit()
    const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as SettingsData
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...settings, activeAccountId: 'acct-b' }))

    const second = composeCounting(dataDir, keychain)
    expect(second.latchkey.accounts().find((a) => a.active)?.id).toBe('acct-b')
  })

  it('after a crash, the index is kept: the order and the active account come from it while the settings file is unchanged, the account renamed before the crash from its file', async () => {
    const dataDir = dataDirWithTwo()
    const settingsFile = join(dataDir, 'settings.json')
    // A whole second, so that the file's time can be put back exactly (its stamp is size, time and inode).
    const time = new Date('2026-12-01T10:00:00.000Z')
    utimesSync(settingsFile, time, time)
    const keychain = fakeKeychain()
    const first = composeCounting(dataDir, keychain)
    await first.latchkey.loadSecrets()
    await first.latchkey.shutdown()
    const folder = join(dataDir, 'accounts')
    const index = readFileSync(join(folder, 'index'), 'utf8')

    const second = composeCounting(dataDir, keychain)
    second.latchkey.rename('acct-b', 'Beta, renamed')
    await vi.waitFor(() => expect(accountFiles(folder).read?.('acct-b')).toContain('Beta, renamed'))
    // Killed: no quit. The index is as the clean quit left it; the journal names the renamed account.
    second.latchkey.dispose()
    expect(readFileSync(join(folder, 'index'), 'utf8')).toBe(index)
    expect(readFileSync(join(folder, 'journal'), 'utf8')).toContain('"acct-b"')
    // The settings file changed in place with its stamp kept, as only a file the index vouches for can be: the start does not read it.
    writeFileSync(settingsFile, readFileSync(settingsFile, 'utf8').replace('"activeAccountId":"acct-a"', '"activeAccountId":"acct-b"'))
    utimesSync(settingsFile, time, time)

    const third = composeCounting(dataDir, keychain)
    expect(third.latchkey.accounts().map((a) => [a.label, a.active])).toEqual([
      ['Alpha', true],
      ['Beta, renamed', false],
    ])
    expect(third.opened.count).toBe(0)
    await third.latchkey.loadSecrets()
    await third.latchkey.shutdown()
    expect(readdirSync(folder)).not.toContain('journal')
  })

  it('a settings write is named in the journal, so a start after a crash that followed it reads the settings file', async () => {
    const { dataDir, keychain } = await startedAndQuit()
    const folder = join(dataDir, 'accounts')
    const second = composeCounting(dataDir, keychain)
    await second.latchkey.loadSecrets()
    await second.latchkey.remove('acct-b')
    expect(readFileSync(join(folder, 'journal'), 'utf8').split('\n')).toContain('settings')
    // Killed here: no clean quit.
    second.latchkey.dispose()
    const third = composeCounting(dataDir, keychain)
    expect(third.latchkey.accounts().map((a) => a.label)).toEqual(['Alpha'])
  })

  it('a settings file damaged while Latchkey was closed is moved aside and reported as before', async () => {
    const { dataDir, keychain } = await startedAndQuit()
    writeFileSync(join(dataDir, 'settings.json'), '{"accounts": [')

    const second = composeCounting(dataDir, keychain)
    expect(second.latchkey.appState().notices.map((n) => n.id)).toContain('settings-recovered')
  })
})
