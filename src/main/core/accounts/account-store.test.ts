import { describe, expect, it } from 'vitest'
import { memoryAccountFiles } from '../testing/memory-account-files.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { AccountStore } from './account-store.ts'

describe('AccountStore durability', () => {
  it('flushes a write that holds a change asked to be durable, even when a later change in it did not ask', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    // One tick: a change that need not be flushed, then a durable one (a rotated token); the one
    // write made for both holds the durable one too.
    const mark = store.set('a', { sealed: 'v1.token' }, { durable: false })
    const durable = store.set('a', { sealed: 'v1.token-2' })
    await Promise.all([mark, durable])
    expect(files.writes).toEqual(['a'])
    expect(files.unflushed).toEqual([])
    expect(JSON.parse(files.files.get('a') ?? '{}')).toMatchObject({ sealed: 'v1.token-2' })
  })

  it('changes made in one tick are one write that every caller waits for, and its failure reaches each of them', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { sealed: 'v1.first' })
    files.writes.length = 0
    // A refresh: the sealed session, then the record, then nothing more until the write is done.
    const sealed = store.set('a', { sealed: 'v1.renewed' }, { durable: false })
    const record = store.set('a', { account: null }, { durable: false })
    await Promise.all([sealed, record])
    expect(files.writes).toEqual(['a'])
    expect(files.unflushed).toEqual(['a'])
    files.write = () => Promise.reject(new Error('No space left on device'))
    const failing = [store.set('a', { sealed: 'v1.next' }), store.set('a', { account: null })]
    for (const write of failing) await expect(write).rejects.toThrow(/No space/)
  })

  it('a change made after a removal in the same tick is written after it, not dropped by it', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { sealed: 'v1.first' })
    const before = store.set('a', { sealed: 'v1.second' })
    const removed = store.remove('a')
    const after = store.set('a', { sealed: 'v1.again' })
    await Promise.all([before, removed, after])
    expect(JSON.parse(files.files.get('a') ?? '{}')).toMatchObject({ sealed: 'v1.again' })
    expect(store.get('a')?.sealed).toBe('v1.again')
  })

  it('leaves a write unflushed only when every change in it said so', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { sealed: 'v1.first' })
    await store.set('a', { sealed: 'v1.mark' }, { durable: false })
    await store.set('a', { sealed: 'v1.result' })
    expect(files.writes).toEqual(['a', 'a', 'a'])
    expect(files.unflushed).toEqual(['a'])
  })

  it('flushes the next write after a durable change whose write failed, even when the next change did not ask', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { sealed: 'v1.first' })
    const write = files.write.bind(files)
    files.write = () => Promise.reject(new Error('No space left on device'))
    await expect(store.set('a', { sealed: 'v1.rotated' })).rejects.toThrow(/No space/)
    files.write = write
    files.unflushed.length = 0
    // The rotated token, never written, goes to the disk with this change: flushed, as it asked.
    await store.set('a', { account: null }, { durable: false })
    expect(JSON.parse(files.files.get('a') ?? '{}')).toMatchObject({ sealed: 'v1.rotated' })
    expect(files.unflushed).toEqual([])
    // Once that is done, an unflushed change is written unflushed again.
    await store.set('a', { account: null }, { durable: false })
    expect(files.unflushed).toEqual(['a'])
  })
})

describe('AccountStore memory', () => {
  const record = (id: string): AccountRecord => ({
    id,
    label: 'Alice',
    provider: 'oidc',
    config: { issuer: 'https://id.example.test' },
    identity: { subject: 'alice', name: null, email: null },
    profile: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    lastRefreshAt: null,
    expiresAt: null,
    attention: null,
    signedOut: false,
    sessionFacts: { expiresAt: 1_800_000_000_000, issuedAt: 1_700_000_000_000, refreshable: true },
  })

  it('keeps no sealed secrets once they are on disk: each read goes to the file, and a change to the record keeps them there', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { account: record('a'), sealed: 'v1.first' })
    // What the file holds is what is read, not what memory was given.
    files.files.set('a', JSON.stringify({ v: 1, account: record('a'), sealed: 'v1.on-disk' }))
    const reads = files.reads
    expect(store.hasSealed('a')).toBe(true)
    expect(files.reads).toBe(reads)
    expect(store.get('a')?.sealed).toBe('v1.on-disk')
    expect(files.reads).toBe(reads + 1)
    await store.set('a', { account: { ...record('a'), label: 'Renamed' } })
    expect(JSON.parse(files.files.get('a') ?? '{}')).toMatchObject({ account: { label: 'Renamed', sessionFacts: record('a').sessionFacts }, sealed: 'v1.on-disk' })
  })

  it('holds sealed secrets whose write failed, so nothing is lost, until a write takes them', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { account: record('a'), sealed: 'v1.first' })
    const write = files.write.bind(files)
    files.write = () => Promise.reject(new Error('No space left on device'))
    await expect(store.set('a', { sealed: 'v1.rotated' })).rejects.toThrow(/No space/)
    expect(store.get('a')?.sealed).toBe('v1.rotated')
    files.write = write
    await store.set('a', { account: { ...record('a'), label: 'Later' } })
    expect(JSON.parse(files.files.get('a') ?? '{}')).toMatchObject({ account: { label: 'Later' }, sealed: 'v1.rotated' })
  })

  it('a record of an earlier version (no sessionFacts) loads as it was', () => {
    const earlier: AccountRecord = record('a')
    delete earlier.sessionFacts
    const files = memoryAccountFiles({ a: JSON.stringify({ v: 1, account: earlier, sealed: 'v1.x' }) })
    const store = new AccountStore(files, recordingLogger())
    expect(store.account('a')).toEqual(earlier)
    expect(store.account('a')).not.toHaveProperty('sessionFacts')
    expect(store.hasSealed('a')).toBe(true)
  })

  it('a profile a later version wrote loads: a kind this version does not know as its text, a known kind with an added field as that kind', () => {
    const later = {
      ...record('a'),
      profile: {
        name: 'Alice',
        colour: { kind: 'colour', value: 'red' },
        verified: { kind: 'yes-no', value: 'true' },
        updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z', precision: 'second' },
      },
    }
    const files = memoryAccountFiles({ a: JSON.stringify({ v: 1, account: later, sealed: 'v1.x' }), b: JSON.stringify({ v: 1, account: { ...record('b'), profile: { age: 36 } }, sealed: 'v1.y' }) })
    const store = new AccountStore(files, recordingLogger())
    expect(store.account('a')?.profile).toEqual({
      name: 'Alice',
      colour: 'red',
      verified: { kind: 'yes-no', value: 'true' },
      updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z' },
    })
    expect(store.hasSealed('a')).toBe(true)
    // What is neither text nor a value with a kind is still refused, and the file kept as damaged.
    expect([...store.damaged().keys()]).toEqual(['b'])
  })

  it('a write keeps the start-up index and its settings part; a settings write is named in the journal, so a start after it does not take the settings part', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { account: record('a'), sealed: 'v1.first' })
    const settings = { stamp: 'settings-1', order: ['a'], activeAccountId: 'a', records: {} }
    expect(store.saveIndex(settings)).toBe(true)
    const index = files.index

    const reopened = new AccountStore(files, recordingLogger())
    await reopened.set('a', { sealed: 'v1.renewed' })
    expect(files.index).toBe(index)
    // Killed here: the next start reads the file the journal names, and has the order and the active account.
    const after = new AccountStore(files, recordingLogger())
    expect(after.get('a')?.sealed).toBe('v1.renewed')
    expect(after.indexedSettings('settings-1')).toEqual(settings)
    expect(after.indexedSettings('settings-2')).toBeNull()

    after.settingsWillChange()
    expect(new AccountStore(files, recordingLogger()).indexedSettings('settings-1')).toBeNull()
  })

  it('takes the order and the active account from the settings part an earlier version kept on its own after a crash, and deletes it before the settings file is written or a new index is', () => {
    const settings = { stamp: 'settings-1', order: ['a'], activeAccountId: 'a', records: {} }
    for (const next of ['settings write', 'index'] as const) {
      const files = memoryAccountFiles({ a: JSON.stringify({ v: 1, account: record('a'), sealed: 'v1.x' }) })
      files.settingsIndex = JSON.stringify({ v: 1, settings })
      const store = new AccountStore(files, recordingLogger())
      expect(store.indexedSettings('settings-1')).toEqual(settings)
      if (next === 'index') expect(store.saveIndex(settings)).toBe(true)
      else store.settingsWillChange()
      expect(files.settingsIndex).toBeNull()
    }
  })
})
