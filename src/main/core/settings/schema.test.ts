import { describe, expect, it } from 'vitest'
import { SETTINGS_DEFAULTS, SETTINGS_MIGRATIONS, SETTINGS_PROJECT_VERSION, SETTINGS_SCHEMA, type MigrationStore } from './schema.ts'

function storeOf(data: Record<string, unknown>): MigrationStore & { data: Record<string, unknown> } {
  return {
    data,
    get: (key) => data[key],
    set: (key, value) => {
      data[key] = value
    },
  }
}

const oldAccount = {
  id: 'a1',
  label: 'Work',
  provider: 'oidc',
  config: { issuer: 'https://id.example.test' },
  identity: { subject: 'alice', name: 'Alice', email: null },
  createdAt: '2026-01-02T03:04:05.000Z',
  lastRefreshAt: null,
  expiresAt: null,
}

describe('settings migrations', () => {
  const migrate = SETTINGS_MIGRATIONS[SETTINGS_PROJECT_VERSION]

  it('fills in the fields 0.9 accounts lacked and keeps everything else', () => {
    const store = storeOf({ accounts: [oldAccount], activeAccountId: 'a1' })
    migrate?.(store)
    expect(store.data['accounts']).toEqual([{ ...oldAccount, profile: {}, attention: null, signedOut: false }])
    expect(store.data['activeAccountId']).toBe('a1')
  })

  it('keeps values that are already there (running it twice changes nothing)', () => {
    const attention = { reason: 'expired', message: 'Sign in again.', since: '2026-01-02T03:04:05.000Z' }
    const current = { ...oldAccount, profile: { name: 'Alice' }, attention, signedOut: true }
    const store = storeOf({ accounts: [current] })
    migrate?.(store)
    migrate?.(store)
    expect(store.data['accounts']).toEqual([current])
  })

  it('leaves a malformed accounts value for the schema to reject', () => {
    const store = storeOf({ accounts: 'not a list' })
    migrate?.(store)
    expect(store.data['accounts']).toBe('not a list')
  })
})

describe('settings schema', () => {
  it('describes both top-level keys with defaults matching SETTINGS_DEFAULTS', () => {
    expect(Object.keys(SETTINGS_SCHEMA).sort()).toEqual(Object.keys(SETTINGS_DEFAULTS).sort())
    expect(SETTINGS_SCHEMA.accounts.default).toEqual(SETTINGS_DEFAULTS.accounts)
    expect(SETTINGS_SCHEMA.activeAccountId.default).toBe(SETTINGS_DEFAULTS.activeAccountId)
  })
})
