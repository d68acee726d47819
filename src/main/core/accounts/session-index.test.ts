/**
 * The start-up index written during a session, on the core's in-memory disk: once the journal
 * names a quarter of the accounts and five minutes have passed, a new index is written while the
 * app runs, so a start after a crash (kill -9) late in a long session reads only the files written
 * since it; a write racing it, or a crash at any step of it, loses nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { flush, quitAfterSignIns, tracked, type World } from '../testing/harness.ts'
import { memoryAccountFiles } from '../testing/memory-account-files.ts'
import { recordingLogger } from '../testing/recording-logger.ts'
import type { AccountRecord } from '../settings/schema.ts'
import { AccountStore } from './account-store.ts'
import { parseIndex, parseJournal } from './startup-index.ts'
import { INDEX_REFRESH_EVERY_MS } from './startup-journal.ts'

const { start, stopAll } = tracked()
afterEach(stopAll)

/** Eight signed-in accounts, quit cleanly (which leaves the index), and a new start with their sessions loaded. */
async function sessionOfEight(options: { stampsLie?: boolean } = {}) {
  const { w, accounts } = await quitAfterSignIns(start, Array.from({ length: 8 }, (_, i) => `user-${String(i)}`), options)
  const { latchkey } = start(w)
  await latchkey.loadSecrets()
  return { w, ids: accounts.map((account) => account.id), latchkey }
}

/** Renews the accounts one after the other, a minute apart. */
async function renew(w: World, latchkey: ReturnType<typeof start>['latchkey'], ids: string[]): Promise<void> {
  for (const id of ids) {
    await w.clock.advance(60_000)
    await latchkey.refresh(id)
    await flush()
  }
}

/** Waits for the index written during the session (a few turns of the event loop). */
async function indexRefreshed(w: World): Promise<void> {
  for (let turn = 0; turn < 100 && !w.logger.lines.some((line) => line.includes('accounts.index-refreshed')); turn++) await flush()
  expect(w.logger.lines.filter((line) => line.includes('accounts.index-refreshed'))).toHaveLength(1)
}

/** Killed (no quit), then started: the start reads `reads` account files, shows the renewed account's newest expiry, and lists all eight. */
function crashedThenStarted(w: World, latchkey: ReturnType<typeof start>['latchkey'], expected: { reads: number; renewed: [id: string, expiresAt: string | null] }): void {
  latchkey.dispose()
  w.files.reads = 0
  const again = start(w)
  expect(w.files.reads).toBe(expected.reads)
  expect(again.latchkey.summary(expected.renewed[0]).expiresAt).toBe(expected.renewed[1])
  expect(again.latchkey.accounts()).toHaveLength(8)
}

describe('the start-up index during a session', () => {
  it('is written anew once a quarter of the accounts were renewed and five minutes passed; a start after a crash then reads only the files written since', async () => {
    const { w, ids, latchkey } = await sessionOfEight()
    const index = w.files.index
    // A quarter renewed within minutes of the start: not yet.
    await renew(w, latchkey, ids.slice(0, 2))
    await flush()
    expect(w.files.index).toBe(index)
    // Five minutes after the start, the next renewal finds the index due: written while the app runs.
    await w.clock.advance(INDEX_REFRESH_EVERY_MS)
    await renew(w, latchkey, ids.slice(2, 3))
    await indexRefreshed(w)
    expect(w.files.index).not.toBe(index)
    expect(parseIndex(w.files.index)?.size).toBe(8)
    // Renewed after it.
    await renew(w, latchkey, [ids[5] ?? ''])
    const renewed = latchkey.summary(ids[5] ?? '').expiresAt
    // Killed (no quit): the next start reads those files and no other.
    // Named in the new index's journal: the renewal that found it due (its last write came while the
    // index was written) and the one after.
    const journal = parseJournal(w.files.journal, 'boot-1')
    expect(journal !== 'untrusted' && [...journal.ids].sort()).toEqual([ids[2], ids[5]].sort())
    crashedThenStarted(w, latchkey, { reads: 2, renewed: [ids[5] ?? '', renewed] })
  })

  it('after a start that found no index, one is written while the app runs, its journal begun first: a start after a crash then reads only the files written since', async () => {
    const { w, accounts } = await quitAfterSignIns(start, Array.from({ length: 8 }, (_, i) => `user-${String(i)}`))
    const ids = accounts.map((account) => account.id)
    // As before a first start with these files (or once the index was lost): every file is read.
    w.files.index = null
    w.files.journal = null
    w.logger.lines.length = 0
    w.files.reads = 0
    const { latchkey } = start(w)
    expect(w.files.reads).toBe(8)
    await latchkey.loadSecrets()
    await indexRefreshed(w)
    expect(parseIndex(w.files.index)?.size).toBe(8)
    await renew(w, latchkey, [ids[2] ?? ''])
    const renewed = latchkey.summary(ids[2] ?? '').expiresAt
    crashedThenStarted(w, latchkey, { reads: 1, renewed: [ids[2] ?? '', renewed] })
  })

  it('an account renewed while the new index is written shows its newest session and record after a crash, though its file\'s stamp looks unchanged', async () => {
    const { w, ids, latchkey } = await sessionOfEight({ stampsLie: true })
    const raced = ids[7] ?? ''
    const replaceIndex = w.files.replaceIndex.bind(w.files)
    let racedAt = null as { expiresAt: string | null; lastRefreshAt: string | null; token: string } | null
    // Renewed after every entry was taken and before the new index replaces the old one.
    w.files.replaceIndex = async (parts, stillWanted) => {
      await w.clock.advance(60_000)
      await latchkey.refresh(raced)
      await flush()
      const copied = await latchkey.copyToken(raced, 'access')
      racedAt = { expiresAt: latchkey.summary(raced).expiresAt, lastRefreshAt: latchkey.detail(raced).lastRefreshAt, token: copied.delivered === 'value' ? copied.value : '' }
      return replaceIndex(parts, stillWanted)
    }
    await w.clock.advance(INDEX_REFRESH_EVERY_MS)
    await renew(w, latchkey, ids.slice(0, 2))
    await indexRefreshed(w)
    expect(racedAt).not.toBeNull()
    // The index holds the record from before the renewal; the journal beside it names the account.
    expect(parseIndex(w.files.index)?.file(raced)?.account?.lastRefreshAt).not.toBe(racedAt?.lastRefreshAt)
    latchkey.dispose()
    const again = start(w)
    await again.latchkey.loadSecrets()
    expect(again.latchkey.summary(raced).expiresAt).toBe(racedAt?.expiresAt)
    expect(again.latchkey.detail(raced).lastRefreshAt).toBe(racedAt?.lastRefreshAt)
    const token = await again.latchkey.copyToken(raced, 'access')
    expect(token.delivered === 'value' ? token.value : null).toBe(racedAt?.token)
  })

  it.each([
    ['beside the index on disk', true],
    ['the first, after a start that found no index', false],
  ])('a crash at any step of writing it (%s), with writes under way at each, leaves every account as its file holds it', async (_where, indexOnDisk) => {
    const record = (id: string, label: string): AccountRecord => ({ id, label, provider: 'oidc', config: {}, identity: { subject: id, name: null, email: null }, profile: {}, createdAt: 't', lastRefreshAt: null, expiresAt: null, attention: null, signedOut: false })
    const ids = Array.from({ length: 8 }, (_, i) => `acct-${String(i)}`)
    const files = memoryAccountFiles(Object.fromEntries(ids.map((id) => [id, JSON.stringify({ v: 1, account: record(id, `${id} v0`), sealed: null })])))
    // Stamps that never change: only the journal can say a file was written.
    files.stampOf = () => 'unchanged'
    if (indexOnDisk) expect(new AccountStore(files, recordingLogger()).saveIndex(null)).toBe(true)
    const logger = recordingLogger()
    const store = new AccountStore(files, logger, 'now', { indexEveryMs: 0 })
    store.keepIndexFresh(() => null, () => false, () => 0)

    // The disk as a kill -9 would leave it, after every step the store takes on it.
    const crashes: { step: string; files: Map<string, string>; index: string | null; journal: string | null; nextJournal: string | null }[] = []
    const crashHere = (step: string): void => {
      crashes.push({ step, files: new Map(files.files), index: files.index, journal: files.journal, nextJournal: files.nextJournal })
    }
    // At each step of the first index written, another account (of the last five) is changed: its
    // write is queued, runs or is done as the steps go on.
    let version = 0
    let racing = true
    const change = (): void => {
      if (!racing) return
      version++
      const id = ids[3 + (version % 5)] ?? ''
      void store.set(id, { account: record(id, `${id} v${String(version)}`) })
    }
    // One write held from before the index is begun until after it is written: in flight while every entry is taken.
    let release = (): void => undefined
    const write = files.write.bind(files)
    files.write = async (id, text, options) => {
      if (text.includes('held')) await new Promise<void>((resolve) => (release = resolve))
      await write(id, text, options)
      crashHere(`${id} written`)
    }
    const steps = ['beginNextJournal', 'appendNextJournal', 'beginJournal', 'appendJournal', 'stamp', 'promoteNextJournal', 'dropNextJournal'] as const
    for (const name of steps) {
      const original = files[name].bind(files) as (...args: unknown[]) => unknown
      Object.assign(files, {
        [name]: (...args: unknown[]) => {
          const result = original(...args)
          crashHere(name)
          // While each entry is taken, at once; else on the next turn (the store's steps are not re-entered).
          if (name === 'stamp') change()
          else if (name !== 'appendJournal' && name !== 'appendNextJournal') queueMicrotask(change)
          if (name === 'promoteNextJournal') racing = false
          return result
        },
      })
    }
    const replaceIndex = files.replaceIndex.bind(files)
    files.replaceIndex = async (parts, stillWanted) => {
      crashHere('before the index is replaced')
      change()
      const replaced = await replaceIndex(parts, stillWanted)
      crashHere('index replaced')
      queueMicrotask(change)
      release()
      return replaced
    }

    void store.set('acct-1', { account: record('acct-1', 'acct-1 held') })
    void store.set('acct-2', { account: record('acct-2', 'acct-2 v-1') })
    // Beside an index, the write that found it due started it; with none on disk, the app starts
    // it once the sessions are loaded (see AccountRegistry.refreshStaleIndex). It runs to its end
    // with writes under way.
    if (!indexOnDisk) void store.refreshIndex()
    await store.flush()
    for (let turn = 0; turn < 100 && !logger.lines.some((line) => line.includes('accounts.index-refreshed')); turn++) await flush()
    await store.flush()
    crashHere('after')

    // Taken for the new index: the files no write was under way for; the one held in flight is left out.
    const index = parseIndex(files.index)
    expect(index?.file('acct-0')?.account?.label).toBe('acct-0 v0')
    expect(index?.file('acct-2')?.account?.label).toBe('acct-2 v-1')
    expect(index?.file('acct-1')).toBeNull()
    // The journal now is the new index's: it names only what was written since it began.
    const journal = parseJournal(files.journal, 'boot-1')
    expect(files.nextJournal).toBeNull()
    // The new index's journal names what was written since it began, and not what was written before.
    expect(journal !== 'untrusted' && [...journal.ids].sort()).toEqual(ids.slice(3))
    expect(crashes.map((c) => c.step)).toEqual(expect.arrayContaining([indexOnDisk ? 'beginNextJournal' : 'beginJournal', 'stamp', 'before the index is replaced', 'index replaced', ...(indexOnDisk ? ['promoteNextJournal'] : []), 'acct-1 written']))
    for (const crash of crashes) {
      const disk = memoryAccountFiles(Object.fromEntries(crash.files))
      Object.assign(disk, { stampOf: () => 'unchanged', index: crash.index, journal: crash.journal, nextJournal: crash.nextJournal })
      const started = new AccountStore(disk, recordingLogger())
      for (const [id, text] of crash.files) expect({ step: crash.step, id, label: started.account(id)?.label }).toEqual({ step: crash.step, id, label: (JSON.parse(text) as { account: AccountRecord }).account.label })
    }
  })
})
