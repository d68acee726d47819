import { describe, expect, it } from 'vitest'
import { fakeKeychain, setup } from './vault-fakes.ts'

describe('SecretVault', () => {
  it('loads every secret in one batch call and serves them from memory', async () => {
    const keychain = fakeKeychain({ a: 'secret-a', b: 'secret-b' })
    const { vault } = setup(keychain)
    expect(vault.get('a')).toBeUndefined()
    await vault.load()
    expect(vault.loadCalls).toBe(1)
    expect(keychain.calls).toEqual(['loadAll'])
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.get('b')).toBe('secret-b')
    expect(vault.storageOf('a')).toBe('keychain')
    expect(vault.health()).toEqual({ available: true, reason: null, fix: null })
    await vault.load()
    expect(vault.loadCalls).toBe(1)
  })

  it('writes puts and removals to the keychain', async () => {
    const keychain = fakeKeychain()
    const { vault } = setup(keychain)
    await vault.load()
    expect(await vault.put('a', 'secret-a')).toBe('keychain')
    expect(keychain.items.get('a')).toBe('secret-a')
    expect(vault.storageOf('a')).toBe('keychain')
    await vault.remove('a')
    expect(vault.get('a')).toBeUndefined()
    expect(keychain.items.has('a')).toBe(false)
  })

  it('keeps writes to one key in order, so the keychain ends with the last one', async () => {
    const keychain = fakeKeychain()
    const { vault } = setup(keychain)
    await vault.load()
    const results = await Promise.all([vault.put('a', 'first'), vault.put('a', 'second'), vault.remove('a'), vault.put('a', 'third')])
    expect(results).toEqual(['keychain', 'keychain', undefined, 'keychain'])
    expect(keychain.items.get('a')).toBe('third')
    expect(keychain.calls).toEqual(['loadAll', 'set a', 'set a', 'delete a', 'set a'])
  })

  it('a retry that still fails keeps everything in memory', async () => {
    const keychain = fakeKeychain()
    keychain.mode('throw')
    const { vault } = setup(keychain)
    await vault.load()
    await vault.put('a', 'secret-a')
    const health = await vault.retry()
    expect(health.available).toBe(false)
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.storageOf('a')).toBe('memory-only')
  })

  it('stops telling a listener once it unsubscribes', async () => {
    const keychain = fakeKeychain()
    keychain.mode('throw')
    const { vault } = setup(keychain)
    let calls = 0
    const unsubscribe = vault.onChange(() => calls++)
    await vault.load()
    const seen = calls
    expect(seen).toBeGreaterThan(0)
    unsubscribe()
    await vault.put('a', 'secret-a')
    expect(calls).toBe(seen)
  })
})
