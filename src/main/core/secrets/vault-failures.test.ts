import { describe, expect, it } from 'vitest'
import { fakeKeychain, memoryAccountFiles, onDisk, setup } from './vault-fakes.ts'

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

  it('keeps a secret whose file write fails in memory and says so', async () => {
    const keychain = fakeKeychain()
    const { vault, files } = setup(keychain)
    await vault.load()
    files.write = () => Promise.reject(new Error('disk full'))
    expect(await vault.put('a', 'secret-a')).toBe('memory-only')
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.storageOf('a')).toBe('memory-only')
  })

  it('never puts a secret into logs or health messages, even when the keychain error quotes it', async () => {
    const keychain = fakeKeychain()
    const { vault, logger } = setup(keychain)
    await vault.load()
    await vault.put('acct', 'tok-SECRET-123')
    keychain.mode('throw', 'refused "tok-SECRET-123" in collection')
    await vault.retry()
    const health = vault.health()
    expect(health.reason).toMatch(/The keychain reported an error/)
    expect(JSON.stringify(health)).not.toContain('tok-SECRET-123')
    expect(logger.lines.join('\n')).not.toContain('tok-SECRET-123')
  })

  it('recognises a locked keyring', async () => {
    const keychain = fakeKeychain()
    keychain.mode('throw', 'Cannot create an item in a locked collection')
    const { vault } = setup(keychain)
    await vault.load()
    expect(vault.health().reason).toBe('The keyring is locked.')
    expect(vault.health().fix).toMatch(/Unlock/)
  })

  it('retry reads the key again (reconnecting first) and seals the memory-only secrets', async () => {
    const keychain = fakeKeychain()
    keychain.mode('throw')
    let reconnects = 0
    const { vault, changes, files } = setup({ ...keychain, reconnect: () => (reconnects++, Promise.resolve()) })
    await vault.load()
    await vault.put('new', 'secret-new')
    expect(vault.storageOf('new')).toBe('memory-only')
    expect(files.files.size).toBe(0)

    keychain.mode('ok')
    const health = await vault.retry()
    expect(health).toEqual({ available: true, reason: null, fix: null })
    expect(reconnects).toBe(1)
    expect(vault.loadCalls).toBe(2)
    expect(onDisk(keychain, files, 'new')).toBe('secret-new')
    expect(vault.storageOf('new')).toBe('keychain')
    expect(changes.at(-1)).toBe(true)
  })

  it('does not let the startup read overwrite a secret stored while it was running', async () => {
    const { keychain, files } = await (async () => {
      const keychain = fakeKeychain()
      const first = setup(keychain)
      await first.vault.load()
      await first.vault.put('a', 'stale')
      await first.vault.put('b', 'removed')
      return { keychain, files: first.files }
    })()
    const { vault } = setup(keychain, { files: memoryAccountFiles(Object.fromEntries(files.files)) })
    const loading = vault.load()
    const putting = vault.put('a', 'fresh')
    const removing = vault.remove('b')
    await Promise.all([loading, putting, removing])
    expect(vault.get('a')).toBe('fresh')
    expect(vault.get('b')).toBeUndefined()
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
