import { describe, expect, it } from 'vitest'
import { memoryAccountFiles } from '../testing/memory-account-files.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
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

  it('leaves a write unflushed only when every change in it said so', async () => {
    const files = memoryAccountFiles()
    const store = new AccountStore(files, recordingLogger())
    await store.set('a', { sealed: 'v1.first' })
    await store.set('a', { sealed: 'v1.mark' }, { durable: false })
    await store.set('a', { sealed: 'v1.result' })
    expect(files.writes).toEqual(['a', 'a', 'a'])
    expect(files.unflushed).toEqual(['a'])
  })
})
