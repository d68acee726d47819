import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Conf from 'conf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AccountRegistry, type NewAccount } from '../core/accounts/registry.ts'
import { SETTINGS_PROJECT_VERSION, type AccountRecord, type SettingsData } from '../core/settings/schema.ts'
import { openConfSettings } from './conf-settings.ts'
import { openSettingsFile } from './settings-file.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-settings-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const account: AccountRecord = {
  id: 'a1',
  label: 'Work',
  provider: 'oidc',
  config: { issuer: 'https://id.example.test', clientId: 'latchkey' },
  identity: { subject: 'alice', name: 'Alice', email: 'alice@example.test' },
  profile: { name: 'Alice' },
  createdAt: '2026-01-02T03:04:05.000Z',
  lastRefreshAt: null,
  expiresAt: '2026-01-02T04:04:05.000Z',
  attention: null,
  signedOut: false,
}

/** A full garbage collection, now. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

const settingsFile = () => join(dir, 'settings.json')
const asideFiles = () => readdirSync(dir).filter((name) => name.startsWith('settings.corrupt-'))

describe('conf settings', () => {
  it('starts empty, and reads back what was written after a reopen', () => {
    const first = openConfSettings({ cwd: dir })
    expect(first.recovered).toBeNull()
    expect(first.store.read()).toEqual({ accounts: [], activeAccountId: null })
    expect(first.store.path).toBe(settingsFile())
    const data: SettingsData = { accounts: [account], activeAccountId: 'a1' }
    first.store.write(data)
    const second = openConfSettings({ cwd: dir })
    expect(second.recovered).toBeNull()
    expect(second.store.read()).toEqual(data)
  })

  it('hands the settings it read at start to the first read and keeps no copy of them', async () => {
    const data: SettingsData = { accounts: [account], activeAccountId: 'a1' }
    openConfSettings({ cwd: dir }).store.write(data)
    const { store } = openConfSettings({ cwd: dir })
    const { handedOver, text } = ((first: SettingsData) => ({ handedOver: new WeakRef(first), text: JSON.stringify(first) }))(store.read())
    await new Promise((resolve) => setImmediate(resolve))
    collectGarbage()
    // The caller let go of them: nothing else holds them (at 10,000 accounts, a second copy of every record).
    expect(handedOver.deref()).toBeUndefined()
    expect(text).toBe(JSON.stringify(data))
    // A later read opens the file.
    expect(store.read()).toEqual(data)
  })

  it('writes the file with mode 0600', () => {
    const { store } = openConfSettings({ cwd: dir })
    store.write({ accounts: [account], activeAccountId: 'a1' })
    expect(statSync(settingsFile()).mode & 0o777).toBe(0o600)
  })

  it('refuses to write data that breaks the schema, leaving the file as it was', () => {
    const { store } = openConfSettings({ cwd: dir })
    store.write({ accounts: [account], activeAccountId: 'a1' })
    const broken = { accounts: [{ ...account, signedOut: 'no' }], activeAccountId: 'a1' } as unknown as SettingsData
    expect(() => store.write(broken)).toThrow(/schema/)
    expect(openConfSettings({ cwd: dir }).store.read().accounts).toEqual([account])
  })

  it('migrates a 0.9 file whose accounts lack signedOut, attention and profile', () => {
    const oldAccount = without(account, ['profile', 'attention', 'signedOut'])
    writeFileSync(
      settingsFile(),
      JSON.stringify({ accounts: [oldAccount], activeAccountId: 'a1', __internal__: { migrations: { version: '0.9.0' } } }),
    )
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered).toBeNull()
    expect(store.read()).toEqual({ accounts: [{ ...account, profile: {}, attention: null, signedOut: false }], activeAccountId: 'a1' })
    const onDisk = JSON.parse(readFileSync(settingsFile(), 'utf8')) as { __internal__: { migrations: { version: string } } }
    expect(onDisk.__internal__.migrations.version).toBe('1.0.0')
  })

  it('moves a file that is not valid JSON aside and reports it', () => {
    const damaged = '{"accounts": [{"id": "a1", "label": "Wo'
    writeFileSync(settingsFile(), damaged)
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered).not.toBeNull()
    expect(recovered?.reason).toMatch(/not valid JSON/)
    expect(recovered?.movedTo).toBe(join(dir, asideFiles()[0] ?? 'missing'))
    expect(recovered?.movedTo).toMatch(/settings\.corrupt-.+\.json$/)
    expect(readFileSync(recovered?.movedTo ?? '', 'utf8')).toBe(damaged)
    expect(store.read()).toEqual({ accounts: [], activeAccountId: null })
    store.write({ accounts: [account], activeAccountId: 'a1' })
    expect(openConfSettings({ cwd: dir }).recovered).toBeNull()
  })

  it('moves a file that breaks the schema aside, keeping its accounts in the moved file', () => {
    const content = JSON.stringify({ accounts: [{ ...account, provider: 'carrier-pigeon' }], activeAccountId: 'a1' })
    writeFileSync(settingsFile(), content)
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered?.reason).toMatch(/shape/)
    expect(recovered?.reason).toMatch(/provider/)
    expect(readFileSync(recovered?.movedTo ?? '', 'utf8')).toBe(content)
    expect(store.read().accounts).toEqual([])
  })

  it('moves a file whose migration fails aside', () => {
    writeFileSync(settingsFile(), JSON.stringify({ accounts: [], activeAccountId: null, __internal__: { migrations: { version: '0.9.0' } } }))
    const failingMigration = (options: Parameters<Parameters<typeof openSettingsFile>[0]>[0]) =>
      new Conf<SettingsData>({
        ...options,
        migrations: {
          '1.0.0': () => {
            throw new Error('cannot upgrade')
          },
        },
      })
    const { store, recovered } = openSettingsFile(failingMigration, { cwd: dir })
    expect(recovered?.reason).toMatch(/older version/)
    expect(asideFiles()).toHaveLength(1)
    expect(store.read()).toEqual({ accounts: [], activeAccountId: null })
  })

  it('keeps two damaged files apart when both are moved aside', () => {
    writeFileSync(settingsFile(), 'not json 1')
    openConfSettings({ cwd: dir })
    writeFileSync(settingsFile(), 'not json 2')
    openConfSettings({ cwd: dir })
    const contents = asideFiles().map((name) => readFileSync(join(dir, name), 'utf8'))
    expect(contents.sort()).toEqual(['not json 1', 'not json 2'])
  })

  it('moves a settings path that is a folder aside and starts', () => {
    mkdirSync(settingsFile())
    writeFileSync(join(settingsFile(), 'inside.txt'), 'kept')
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered?.reason).toBe('The settings path is a folder, not a file.')
    expect(readFileSync(join(recovered?.movedTo ?? '', 'inside.txt'), 'utf8')).toBe('kept')
    store.write({ accounts: [account], activeAccountId: 'a1' })
    expect(openConfSettings({ cwd: dir }).store.read().accounts).toEqual([account])
  })

  it('moves an unreadable settings file aside and starts', () => {
    symlinkSync('settings.json', settingsFile())
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered?.reason).toMatch(/^The settings file cannot be read \(ELOOP\)/)
    expect(lstatSync(recovered?.movedTo ?? '').isSymbolicLink()).toBe(true)
    expect(store.read()).toEqual({ accounts: [], activeAccountId: null })
  })

  it.skipIf(process.getuid?.() === 0)('moves a file without read permission aside', () => {
    writeFileSync(settingsFile(), JSON.stringify({ accounts: [account], activeAccountId: 'a1' }), { mode: 0o000 })
    const { recovered } = openConfSettings({ cwd: dir })
    expect(recovered?.reason).toMatch(/cannot be read \(EACCES\)/)
  })

  it.each([
    ['null', 'null'],
    ['[]', 'a list'],
    ['42', 'a number'],
  ])('reports a file holding %s instead of replacing it silently', (content, what) => {
    writeFileSync(settingsFile(), content)
    const { store, recovered } = openConfSettings({ cwd: dir })
    expect(recovered?.reason).toBe(`The settings file holds ${what} instead of Latchkey's settings.`)
    expect(readFileSync(recovered?.movedTo ?? '', 'utf8')).toBe(content)
    expect(store.read()).toEqual({ accounts: [], activeAccountId: null })
  })

  it('starts on settings in memory when the file can be neither read nor moved aside', () => {
    writeFileSync(settingsFile(), 'null')
    const failing = () => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })
    }
    const opened = openSettingsFile(failing, { cwd: dir })
    expect(opened.recovered?.reason).toMatch(/holds null/)
    opened.store.write({ accounts: [account], activeAccountId: 'a1' })
    expect(opened.store.read().accounts).toEqual([account])
  })

  it('honours configName', () => {
    const { store } = openConfSettings({ cwd: dir, configName: 'other' })
    store.write({ accounts: [account], activeAccountId: 'a1' })
    expect(store.path).toBe(join(dir, 'other.json'))
    expect(openConfSettings({ cwd: dir, configName: 'other' }).store.read().accounts).toEqual([account])
  })
})

describe('a settings file this version wrote', () => {
  const current = (data: Record<string, unknown>): string =>
    JSON.stringify({ accounts: [account], activeAccountId: 'a1', ...data, __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } } })
  /** Opens the file through conf as before, counting how often conf reads it whole. */
  const openCounting = () => {
    const opened = { count: 0 }
    const result = openSettingsFile(
      (options) => {
        opened.count++
        return new Conf<SettingsData>(options)
      },
      { cwd: dir },
    )
    return { ...result, opened }
  }

  it('is read once at start, without conf; the first write goes through conf, which still refuses data that breaks the schema', () => {
    writeFileSync(settingsFile(), current({}))
    const { store, recovered, opened } = openCounting()
    expect(recovered).toBeNull()
    expect(store.read()).toEqual({ accounts: [account], activeAccountId: 'a1' })
    expect(opened.count).toBe(0)
    const broken = { accounts: [{ ...account, signedOut: 'no' }], activeAccountId: 'a1' } as unknown as SettingsData
    expect(() => store.write(broken)).toThrow(/schema/)
    expect(opened.count).toBe(1)
    store.write({ accounts: [account, { ...account, id: 'a2' }], activeAccountId: 'a2' })
    expect(store.read().activeAccountId).toBe('a2')
    expect(openConfSettings({ cwd: dir }).store.read().accounts.map((a) => a.id)).toEqual(['a1', 'a2'])
  })

  it('cannot be changed through what is read', () => {
    writeFileSync(settingsFile(), current({}))
    const data = openCounting().store.read()
    expect(() => data.accounts.push(account)).toThrow(TypeError)
    expect(() => ((data as { activeAccountId: string | null }).activeAccountId = null)).toThrow(TypeError)
  })

  // Every value the quick check accepts, conf must accept too (it opens the file for the first
  // write); whatever the check is unsure of goes to conf, as every file did before.
  const variants: [string, Record<string, unknown>][] = [
    ['every optional field', { refreshStartedAt: '2026-01-02T03:04:05.123Z', credentials: [{ kind: 'pat', label: 'Token', status: 'ok', expiresAt: '2026-02-01T00:00:00.000Z', message: 'fine' }], cliAccess: true }],
    ['a problem remembered', { attention: { reason: 'expired', message: 'Sign in again.', since: '2026-01-02T03:04:05.000Z', retryAt: '2026-01-02T04:04:05.000Z' } }],
    ['a field of a later version', { pinned: true }],
    ['a profile with a yes/no and a time', { profile: { name: 'Alice', email_verified: { kind: 'yes-no', value: 'true' }, updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z' } } }],
    ['a profile value of an unknown kind', { profile: { colour: { kind: 'colour', value: 'red' } } }],
    ['a time with an offset', { createdAt: '2026-01-02T03:04:05+02:00' }],
    ['a time without seconds', { createdAt: '2026-01-02T03:04Z' }],
    ['a date that does not exist', { createdAt: '2026-02-30T03:04:05.000Z' }],
    ['a time that is not one', { lastRefreshAt: 'yesterday' }],
    ['an unknown kind of backend', { provider: 'carrier-pigeon' }],
    ['an empty id', { id: '' }],
    ['a number in the configuration', { config: { port: 443 } }],
    ['a list as the profile', { profile: ['Alice'] }],
    ['an unknown problem', { attention: { reason: 'gremlins', message: 'x', since: '2026-01-02T03:04:05.000Z' } }],
    ['a credential with an unknown status', { credentials: [{ kind: 'pat', label: 'Token', status: 'great' }] }],
    ['a missing field', { signedOut: undefined }],
    ['a null identity name', { identity: { subject: 'alice', name: null, email: null } }],
  ]
  it.each(variants)('with %s: read without conf only when conf takes the file as it is', (_what, change) => {
    writeFileSync(settingsFile(), JSON.stringify({ accounts: [{ ...account, ...change }], activeAccountId: 'a1', __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } } }))
    const before = readFileSync(settingsFile(), 'utf8')
    const quick = openCounting()
    if (quick.opened.count > 0) return
    // conf, opening the same file, finds nothing to refuse, change or move aside, and reads the same settings.
    const conf = openConfSettings({ cwd: dir })
    expect(conf.recovered).toBeNull()
    expect(readFileSync(settingsFile(), 'utf8')).toBe(before)
    expect(quick.store.read()).toEqual(conf.store.read())
  })

  it('reads the accepted variants quickly and leaves the others to conf', () => {
    const outcome = (change: Record<string, unknown>): number => {
      writeFileSync(settingsFile(), JSON.stringify({ accounts: [{ ...account, ...change }], activeAccountId: 'a1', __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } } }))
      const opened = openCounting().opened.count
      rmSync(settingsFile(), { force: true })
      return opened
    }
    const quick = variants.filter(([, change]) => outcome(change) === 0).map(([what]) => what)
    expect(quick).toEqual(['every optional field', 'a problem remembered', 'a field of a later version', 'a profile with a yes/no and a time', 'a null identity name'])
  })

  it('of an older version is migrated by conf as before', () => {
    writeFileSync(settingsFile(), JSON.stringify({ accounts: [account], activeAccountId: 'a1', __internal__: { migrations: { version: '0.9.0' } } }))
    const { store, opened } = openCounting()
    expect(opened.count).toBe(1)
    expect(store.read().accounts).toEqual([account])
  })
})

describe('AccountRegistry on a real settings file', () => {
  const input = (label: string): NewAccount => {
    const rest = without(account, ['id', 'createdAt']) as NewAccount
    return { ...rest, label, identity: { ...rest.identity, subject: label } }
  }

  it('keeps accounts and the active account across a restart', () => {
    const before = new AccountRegistry(openConfSettings({ cwd: dir }).store)
    before.add(input('Work'))
    const home = before.add(input('Home'))
    before.setActive(home.id)
    before.rename(home.id, 'Family')

    const after = new AccountRegistry(openConfSettings({ cwd: dir }).store)
    expect(after.activeId()).toBe(home.id)
    expect(after.list()).toEqual(before.list())
    expect(after.require(home.id).label).toBe('Family')
  })
})

function without(record: AccountRecord, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)))
}
