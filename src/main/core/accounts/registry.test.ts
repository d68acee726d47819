import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import type { SettingsStore } from '../ports.ts'
import { SETTINGS_DEFAULTS, type SettingsData } from '../settings/schema.ts'
import { AccountRegistry, type NewAccount } from './registry.ts'

/** A settings store that keeps what was written, the way the file would. */
function memoryStore(initial: SettingsData = SETTINGS_DEFAULTS) {
  let data = structuredClone(initial)
  const writes: SettingsData[] = []
  const store: SettingsStore<SettingsData> & { writes: SettingsData[]; failNext: boolean } = {
    path: '/tmp/settings.json',
    writes,
    failNext: false,
    read: () => structuredClone(data),
    write(value) {
      if (store.failNext) {
        store.failNext = false
        throw new Error('disk full')
      }
      data = structuredClone(value)
      writes.push(structuredClone(value))
    },
  }
  return store
}

function newAccount(label: string, subject = label.toLowerCase()): NewAccount {
  return {
    label,
    provider: 'oidc',
    config: { issuer: 'https://id.example.test', clientId: 'latchkey' },
    identity: { subject, name: label, email: `${subject}@example.test` },
    profile: { name: label },
    lastRefreshAt: null,
    expiresAt: null,
    attention: null,
    signedOut: false,
  }
}

function sequentialIds(): () => string {
  let n = 0
  return () => `acct-${++n}`
}

describe('AccountRegistry', () => {
  it('adds accounts with an id and creation time, and makes the first one active', () => {
    const store = memoryStore()
    const registry = new AccountRegistry(store, { newId: sequentialIds(), now: () => Date.UTC(2026, 0, 2) })
    const work = registry.add(newAccount('Work'))
    const home = registry.add(newAccount('Home'))
    expect(work).toMatchObject({ id: 'acct-1', label: 'Work', createdAt: '2026-01-02T00:00:00.000Z' })
    expect(home.id).toBe('acct-2')
    expect(registry.activeId()).toBe('acct-1')
    expect(registry.list().map((a) => a.label)).toEqual(['Work', 'Home'])
    expect(store.writes.at(-1)).toEqual({ accounts: registry.list(), activeAccountId: 'acct-1' })
  })

  it('cuts an over-long label of a new account to 80 characters, and refuses an empty one', () => {
    const registry = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const long = registry.add(newAccount(`  ${'é'.repeat(79)}👩‍👩‍👧 and more  `))
    expect(long.label).toBe(`${'é'.repeat(79)}👩‍👩‍👧`)
    const error = catchError(() => registry.add(newAccount('   ')))
    expect(isAppError(error, 'VALIDATION')).toBe(true)
    expect(registry.list()).toHaveLength(1)
  })

  it('uses random UUIDs by default', () => {
    const registry = new AccountRegistry(memoryStore())
    const a = registry.add(newAccount('A'))
    const b = registry.add(newAccount('B'))
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.id).not.toBe(b.id)
  })

  it('gets, requires and reports missing accounts as NOT_FOUND', () => {
    const registry = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const work = registry.add(newAccount('Work'))
    expect(registry.get(work.id)).toEqual(work)
    expect(registry.get('nope')).toBeUndefined()
    expect(registry.require(work.id)).toEqual(work)
    const error = catchError(() => registry.require('nope'))
    expect(isAppError(error, 'NOT_FOUND')).toBe(true)
    expect((error as Error).message).toBe('That account no longer exists.')
  })

  it('hands out frozen records, so callers cannot change accounts behind its back', () => {
    const registry = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const work = registry.add(newAccount('Work'))
    expect(() => (work.label = 'Changed')).toThrow(TypeError)
    expect(() => (registry.list()[0]!.identity.subject = 'mallory')).toThrow(TypeError)
    expect(() => (registry.update(work.id, { profile: { a: 'b' } }).profile['a'] = 'c')).toThrow(TypeError)
    expect(registry.require(work.id).label).toBe('Work')
    expect(registry.require(work.id).identity.subject).toBe('work')
  })

  it('updates fields and writes them through, keeping id and creation time', () => {
    const store = memoryStore()
    const registry = new AccountRegistry(store, { newId: sequentialIds() })
    const work = registry.add(newAccount('Work'))
    const attention = { reason: 'expired' as const, message: 'Sign in again.', since: '2026-01-02T00:00:00.000Z' }
    const updated = registry.update(work.id, { attention, expiresAt: '2026-01-03T00:00:00.000Z', label: undefined })
    expect(updated).toEqual({ ...work, attention, expiresAt: '2026-01-03T00:00:00.000Z' })
    expect(store.read().accounts[0]).toEqual(updated)
  })

  it('renames with trimming and refuses empty or over-long names as VALIDATION on label', () => {
    const registry = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const work = registry.add(newAccount('Work'))
    expect(registry.rename(work.id, '  Day job  ').label).toBe('Day job')
    expect(registry.rename(work.id, 'x'.repeat(80)).label).toHaveLength(80)
    expect(registry.rename(work.id, '👩‍👩‍👧'.repeat(80)).label).toBe('👩‍👩‍👧'.repeat(80))
    for (const bad of ['', '   ', 'x'.repeat(81)]) {
      const error = catchError(() => registry.rename(work.id, bad))
      expect(isAppError(error, 'VALIDATION')).toBe(true)
      expect((error as { field?: string }).field).toBe('label')
    }
    expect(registry.require(work.id).label).toBe('👩‍👩‍👧'.repeat(80))
    expect(isAppError(catchError(() => registry.rename('nope', 'Name')), 'NOT_FOUND')).toBe(true)
  })

  it('switches the active account, and refuses an unknown one', () => {
    const store = memoryStore()
    const registry = new AccountRegistry(store, { newId: sequentialIds() })
    registry.add(newAccount('Work'))
    const home = registry.add(newAccount('Home'))
    registry.setActive(home.id)
    expect(registry.activeId()).toBe(home.id)
    expect(store.read().activeAccountId).toBe(home.id)
    expect(isAppError(catchError(() => registry.setActive('nope')), 'NOT_FOUND')).toBe(true)
    expect(registry.activeId()).toBe(home.id)
  })

  it('removing the active account activates the next remaining one, then null', () => {
    const store = memoryStore()
    const registry = new AccountRegistry(store, { newId: sequentialIds() })
    const [a, b, c] = ['A', 'B', 'C'].map((label) => registry.add(newAccount(label)))
    registry.setActive(b!.id)
    registry.remove(b!.id)
    expect(registry.activeId()).toBe(c!.id)
    registry.remove(c!.id)
    expect(registry.activeId()).toBe(a!.id)
    registry.remove(a!.id)
    expect(registry.activeId()).toBeNull()
    expect(store.read()).toEqual({ accounts: [], activeAccountId: null })
  })

  it('removing another account keeps the active one', () => {
    const registry = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const a = registry.add(newAccount('A'))
    const b = registry.add(newAccount('B'))
    registry.remove(b.id)
    expect(registry.activeId()).toBe(a.id)
    expect(registry.list().map((x) => x.id)).toEqual([a.id])
    expect(isAppError(catchError(() => registry.remove(b.id)), 'NOT_FOUND')).toBe(true)
  })

  it('leaves memory unchanged when the settings file cannot be written', () => {
    const store = memoryStore()
    const registry = new AccountRegistry(store, { newId: sequentialIds() })
    const work = registry.add(newAccount('Work'))
    store.failNext = true
    expect(() => registry.rename(work.id, 'Other')).toThrow('disk full')
    expect(registry.require(work.id).label).toBe('Work')
  })

  it('reads what the store already holds, and ignores an active id that no longer exists', () => {
    const seeded = new AccountRegistry(memoryStore(), { newId: sequentialIds() })
    const a = seeded.add(newAccount('A'))
    const registry = new AccountRegistry(memoryStore({ accounts: seeded.list(), activeAccountId: 'gone' }))
    expect(registry.list()).toEqual([a])
    expect(registry.activeId()).toBe(a.id)
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}
