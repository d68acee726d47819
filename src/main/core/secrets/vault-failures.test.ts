import { describe, expect, it } from 'vitest'
import { fakeKeychain, settle, setup } from './vault-fakes.ts'

describe('SecretVault when the keychain fails', () => {
  it('fails closed when the keychain throws: memory only, with a reason and a fix', async () => {
    const keychain = fakeKeychain({ a: 'secret-a' })
    keychain.mode('throw')
    const { vault, changes } = setup(keychain)
    await vault.load()
    const health = vault.health()
    expect(health.available).toBe(false)
    expect(health.reason).toBe('No Secret Service is running (org.freedesktop.secrets).')
    expect(health.fix).toMatch(/Try again/)
    expect(health.fix).toMatch(/memory only/)
    expect(changes).toContain(false)

    expect(await vault.put('b', 'secret-b')).toBe('memory-only')
    expect(vault.get('b')).toBe('secret-b')
    expect(vault.storageOf('b')).toBe('memory-only')
    expect(keychain.items.has('b')).toBe(false)
  })

  it('does not hang on a keychain that never answers', async () => {
    const keychain = fakeKeychain({ a: 'secret-a' })
    keychain.mode('hang')
    const { vault, clock } = setup(keychain)
    let done = false
    const loading = vault.load().then(() => {
      done = true
    })
    await clock.advance(7_999)
    expect(done).toBe(false)
    await clock.advance(1)
    await loading
    expect(vault.loaded).toBe(true)
    expect(vault.health().available).toBe(false)
    expect(vault.health().reason).toMatch(/did not answer within 8 seconds/)
  })

  it('keeps a secret whose write hangs or fails in memory and says so', async () => {
    const keychain = fakeKeychain()
    const { vault, clock } = setup(keychain)
    await vault.load()
    keychain.mode('hang')
    const putting = vault.put('a', 'secret-a')
    expect(vault.get('a')).toBe('secret-a')
    await settle()
    await clock.advance(8_000)
    expect(await putting).toBe('memory-only')
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.storageOf('a')).toBe('memory-only')
    expect(vault.health().available).toBe(false)
    expect(clock.pendingTimers).toBe(0)
  })

  it('never puts a secret into logs or health messages, even when the keychain error quotes it', async () => {
    const keychain = fakeKeychain()
    const { vault, logger } = setup(keychain)
    await vault.load()
    keychain.mode('throw', 'refused to store "%s" in collection')
    expect(await vault.put('acct', 'tok-SECRET-123')).toBe('memory-only')
    const health = vault.health()
    expect(health.reason).toMatch(/The keychain reported an error/)
    expect(JSON.stringify(health)).not.toContain('tok-SECRET-123')
    expect(logger.lines.join('\n')).not.toContain('tok-SECRET-123')
    expect(logger.lines.join('\n')).toContain('acct')
  })

  it('redacts a secret from an error even after a newer secret replaced it in memory', async () => {
    const keychain = fakeKeychain()
    const { vault, logger } = setup(keychain)
    await vault.load()
    keychain.mode('throw', 'bad item %s')
    const first = vault.put('acct', 'tok-FIRST-456')
    const second = vault.put('acct', 'tok-SECOND-789')
    await Promise.all([first, second])
    expect(vault.get('acct')).toBe('tok-SECOND-789')
    const shown = JSON.stringify(vault.health()) + logger.lines.join('\n')
    expect(shown).not.toContain('tok-FIRST-456')
    expect(shown).not.toContain('tok-SECOND-789')
  })

  it('recognises a locked keyring', async () => {
    const keychain = fakeKeychain()
    keychain.mode('throw', 'Cannot create an item in a locked collection')
    const { vault } = setup(keychain)
    await vault.load()
    expect(vault.health().reason).toBe('The keyring is locked.')
    expect(vault.health().fix).toMatch(/Unlock/)
  })

  it('retry loads again and moves memory-only secrets into the keychain, and performs removals it missed', async () => {
    const keychain = fakeKeychain({ old: 'secret-old', gone: 'secret-gone' })
    keychain.mode('throw')
    const { vault, changes } = setup(keychain)
    await vault.load()
    await vault.put('new', 'secret-new')
    await vault.put('old', 'secret-old-rotated')
    await vault.remove('gone')
    expect(vault.storageOf('new')).toBe('memory-only')

    keychain.mode('ok')
    const health = await vault.retry()
    expect(health).toEqual({ available: true, reason: null, fix: null })
    expect(vault.loadCalls).toBe(2)
    expect(keychain.items.get('new')).toBe('secret-new')
    expect(keychain.items.get('old')).toBe('secret-old-rotated')
    expect(keychain.items.has('gone')).toBe(false)
    expect(vault.get('old')).toBe('secret-old-rotated')
    expect(vault.get('gone')).toBeUndefined()
    expect(vault.storageOf('new')).toBe('keychain')
    expect(vault.storageOf('old')).toBe('keychain')
    expect(changes.at(-1)).toBe(true)
  })

  it('does not let the startup read overwrite a secret stored while it was running', async () => {
    const keychain = fakeKeychain({ a: 'stale', b: 'removed' })
    const { vault } = setup(keychain)
    const loading = vault.load()
    const putting = vault.put('a', 'fresh')
    const removing = vault.remove('b')
    await Promise.all([loading, putting, removing])
    expect(vault.get('a')).toBe('fresh')
    expect(vault.get('b')).toBeUndefined()
    expect(keychain.items.get('a')).toBe('fresh')
  })

  it('without a keychain library it is unavailable from the start and says why', async () => {
    const { vault } = setup(null, { unavailableReason: 'The keychain module could not be loaded (libsecret-1.so.0 missing).' })
    await vault.load()
    expect(vault.loadCalls).toBe(0)
    expect(vault.health()).toMatchObject({ available: false, reason: 'The keychain module could not be loaded (libsecret-1.so.0 missing).' })
    expect(await vault.put('a', 'secret-a')).toBe('memory-only')
    expect(vault.get('a')).toBe('secret-a')
    expect((await vault.retry()).available).toBe(false)
  })

})
