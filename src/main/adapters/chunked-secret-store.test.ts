import { describe, expect, it } from 'vitest'
import { fakeKeychain } from '../core/testing/fake-keychain.ts'
import { chunkedSecretStore } from './chunked-secret-store.ts'

describe('chunkedSecretStore', () => {
  it('keeps short secrets as one entry', async () => {
    const keychain = fakeKeychain()
    const store = chunkedSecretStore(keychain, 10)
    await store.set('a', 'short')
    expect([...keychain.items.keys()]).toEqual(['a'])
    expect(await store.loadAll()).toEqual(new Map([['a', 'short']]))
  })

  it('splits a long secret so no entry exceeds the limit, and reads it back whole', async () => {
    const keychain = fakeKeychain()
    const store = chunkedSecretStore(keychain, 10)
    const secret = 'x'.repeat(25) + 'end'
    await store.set('acct', secret)
    await store.set('other', 'small')
    expect([...keychain.items.values()].every((v) => v.length <= 20)).toBe(true)
    expect(keychain.items.size).toBe(5)
    expect(await store.loadAll()).toEqual(new Map([['acct', secret], ['other', 'small']]))
    expect(await store.get('acct')).toBe(secret)
    expect(await store.get('missing')).toBeNull()
  })

  it('deletes every piece, and a secret missing a piece reads as absent', async () => {
    const keychain = fakeKeychain()
    const store = chunkedSecretStore(keychain, 10)
    await store.set('acct', 'y'.repeat(30))
    keychain.items.delete('acct#2')
    expect((await store.loadAll()).has('acct')).toBe(false)
    await store.delete('acct')
    expect(keychain.items.size).toBe(0)
  })

  it('a secret that shrinks leaves no stale pieces behind', async () => {
    const keychain = fakeKeychain()
    const store = chunkedSecretStore(keychain, 10)
    await store.set('acct', 'z'.repeat(30))
    await store.set('acct', 'w'.repeat(15))
    expect([...keychain.items.keys()].sort()).toEqual(['acct', 'acct#1', 'acct#2'])
    await store.set('acct', 'tiny')
    expect([...keychain.items.keys()]).toEqual(['acct'])
    expect((await chunkedSecretStore(keychain, 10).loadAll()).get('acct')).toBe('tiny')
  })

  it('after a restart, deleting still removes every piece', async () => {
    const keychain = fakeKeychain()
    await chunkedSecretStore(keychain, 10).set('acct', 'q'.repeat(30))
    const restarted = chunkedSecretStore(keychain, 10)
    await restarted.loadAll()
    await restarted.delete('acct')
    expect(keychain.items.size).toBe(0)
  })
})
