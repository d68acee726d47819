import { describe, expect, it } from 'vitest'
import { newVaultKey } from './sealed.ts'
import { VAULT_KEY_PREFIX } from './vault.ts'
import { fakeKeychain, keyIn, memoryAccountFiles, onDisk, setup } from './vault-fakes.ts'

const KEY_NAME = `${VAULT_KEY_PREFIX}/memory/accounts`

/** A vault that has stored `secrets`, then a fresh one ("a restart") on the same keychain and disk. */
async function storedThenRestarted(secrets: Record<string, string>) {
  const keychain = fakeKeychain()
  const first = setup(keychain)
  await first.vault.load()
  for (const [id, secret] of Object.entries(secrets)) await first.vault.put(id, secret)
  keychain.calls.length = 0
  const files = memoryAccountFiles(Object.fromEntries(first.files.files))
  return { keychain, files, first }
}

describe('SecretVault', () => {
  it('keeps one key in the keychain and each secret sealed in its account file (round trip)', async () => {
    const { keychain, files } = await storedThenRestarted({ a: 'secret-a', b: 'secret-b' })
    expect([...keychain.items.keys()]).toEqual([KEY_NAME])
    for (const text of files.files.values()) expect(text).not.toMatch(/secret-/)
    const { vault } = setup(keychain, { files })
    expect(vault.get('a')).toBeUndefined()
    await vault.load()
    expect(keychain.calls).toEqual([`get ${KEY_NAME}`])
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.get('b')).toBe('secret-b')
    expect(vault.storageOf('a')).toBe('keychain')
    expect(vault.health()).toEqual({ available: true, reason: null, fix: null })
    await vault.load()
    expect(vault.loadCalls).toBe(1)
  })

  it('seals each write with a fresh nonce and the account id, so a record moved to another account does not open', async () => {
    const keychain = fakeKeychain()
    const { vault, files } = setup(keychain)
    await vault.load()
    await vault.put('a', 'same')
    const once = files.files.get('a')
    await vault.put('a', 'same')
    expect(files.files.get('a')).not.toBe(once)
    files.files.set('b', files.files.get('a') ?? '')
    expect(onDisk(keychain, files, 'a')).toBe('same')
    expect(onDisk(keychain, files, 'b')).toBeNull()
  })

  it('gives nothing for an account whose file was replaced by another account’s while running', async () => {
    const keychain = fakeKeychain()
    const { vault, files } = setup(keychain)
    await vault.load()
    await vault.put('a', 'secret-a')
    await vault.put('b', 'secret-b')
    files.files.set('b', files.files.get('a') ?? '')
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.get('b')).toBeUndefined()
  })

  it('reports a record with a flipped byte, and opens the others', async () => {
    const { keychain, files } = await storedThenRestarted({ a: 'secret-a', b: 'secret-b', c: 'secret-c' })
    const record = JSON.parse(files.files.get('b') ?? '') as { sealed: string }
    const at = 20
    const flipped = record.sealed.slice(0, at) + (record.sealed[at] === 'A' ? 'B' : 'A') + record.sealed.slice(at + 1)
    files.files.set('b', JSON.stringify({ ...record, sealed: flipped }))
    const { vault, logger } = setup(keychain, { files })
    await vault.load()
    expect(vault.get('a')).toBe('secret-a')
    expect(vault.get('c')).toBe('secret-c')
    expect(vault.get('b')).toBeUndefined()
    expect(vault.unreadable('b')).toBe(true)
    expect(vault.problems()).toEqual({ unreadable: ['b'], keyReplaced: false })
    expect(logger.lines.join('\n')).toMatch(/vault.unreadable/)
  })

  it('opens nothing with the wrong key and reports every record', async () => {
    const { keychain, files } = await storedThenRestarted({ a: 'secret-a', b: 'secret-b' })
    keychain.items.set(KEY_NAME, JSON.stringify({ v: 1, key: newVaultKey(), legacyMoved: true }))
    const { vault } = setup(keychain, { files })
    await vault.load()
    expect(vault.get('a')).toBeUndefined()
    expect(vault.problems().unreadable.sort()).toEqual(['a', 'b'])
    expect(vault.health().available).toBe(true)
  })

  it('makes a new key when the keychain lost it, and says the old sessions cannot be opened', async () => {
    const { keychain, files } = await storedThenRestarted({ a: 'secret-a' })
    keychain.items.clear()
    const { vault } = setup(keychain, { files })
    await vault.load()
    expect(vault.problems()).toMatchObject({ keyReplaced: true })
    expect(keyIn(keychain)).not.toBeNull()
    expect(await vault.put('a', 'secret-new')).toBe('keychain')
    expect(onDisk(keychain, files, 'a')).toBe('secret-new')
  })

  it('moves the per-account keychain items of older versions into the vault, deleting each after its write', async () => {
    const keychain = fakeKeychain({ mine: 'secret-mine', also: 'secret-also', other: 'secret-of-another-folder' })
    const { vault, files } = setup(keychain, { owns: (id) => id === 'mine' || id === 'also' })
    await vault.load()
    expect(vault.get('mine')).toBe('secret-mine')
    expect(onDisk(keychain, files, 'also')).toBe('secret-also')
    expect([...keychain.items.keys()].sort()).toEqual([KEY_NAME, 'other'].sort())
    // Each item is deleted after the write that holds it.
    const order = keychain.calls.filter((c) => c.startsWith('delete'))
    expect(order).toEqual(['delete mine', 'delete also'])
    expect(JSON.parse(keychain.items.get(KEY_NAME) ?? '{}')).toMatchObject({ legacyMoved: true })
  })

  it('finishes a move that stopped half way (a write failed), losing nothing', async () => {
    const keychain = fakeKeychain({ a: 'secret-a', b: 'secret-b', c: 'secret-c' })
    const files = memoryAccountFiles()
    const realWrite = files.write.bind(files)
    let writes = 0
    files.write = (id, text) => (++writes === 2 ? Promise.reject(new Error('disk full')) : realWrite(id, text))
    const owns = (): boolean => true
    const first = setup(keychain, { files, owns })
    await first.vault.load()
    expect(keychain.items.size).toBeGreaterThan(1)
    files.write = realWrite
    const { vault } = setup(keychain, { files: memoryAccountFiles(Object.fromEntries(files.files)), owns })
    await vault.load()
    expect([vault.get('a'), vault.get('b'), vault.get('c')]).toEqual(['secret-a', 'secret-b', 'secret-c'])
    expect([...keychain.items.keys()]).toEqual([KEY_NAME])
  })

  it('writes one account in order and coalesces what changed meanwhile', async () => {
    const keychain = fakeKeychain()
    const { vault, files } = setup(keychain)
    await vault.load()
    const results = await Promise.all([vault.put('a', 'first'), vault.put('a', 'second'), vault.remove('a'), vault.put('a', 'third')])
    expect(results).toEqual(['keychain', 'keychain', undefined, 'keychain'])
    expect(onDisk(keychain, files, 'a')).toBe('third')
    expect(files.writes.length).toBeLessThan(4)
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

  it('tells listeners of an account only when where its secret lives changes, not at every write to the disk', async () => {
    const keychain = fakeKeychain()
    const { vault } = setup(keychain)
    await vault.load()
    const changes: string[] = []
    vault.onChange((change) => changes.push(change.kind === 'account' ? change.id : change.kind))
    await vault.put('a', 'one')
    await vault.put('a', 'two', { durable: false })
    expect(vault.storageOf('a')).toBe('keychain')
    expect(changes).toEqual([])
  })
})
