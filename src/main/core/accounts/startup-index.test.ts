/**
 * The start-up index on the core's in-memory disk: a restart after a clean quit reads no account
 * file until a session is needed, a file changed since wins, and a restart after a crash (kill -9)
 * reads the files the journal names as written since the index, and no others.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { flush, quitAfterSignIns, signIn, storedSecret, tracked, world } from '../testing/harness.ts'
import { SLICE_MS } from '../slices.ts'
import { formatIndex, journalHead, parseIndex, parseJournal } from './startup-index.ts'

const { start, startInSlices, stopAll } = tracked()
afterEach(stopAll)


/** A world with two signed-in accounts (Bob's renamed), quit cleanly (which leaves the index); see quitAfterSignIns. */
async function quitWithTwo(options: { stampsLie?: boolean } = {}) {
  const { w, accounts, listed } = await quitAfterSignIns(start, ['alice', 'bob'], { ...options, before: (latchkey, [, bob]) => latchkey.rename(bob?.id ?? '', 'Bob at work') })
  const [alice, bob] = accounts
  if (!alice || !bob) throw new Error('expected two accounts')
  return { w, alice, bob, before: listed }
}

describe('the start-up index', () => {
  it('is left by a clean quit; the next start lists every account without reading an account file', async () => {
    const { w, before } = await quitWithTwo()
    expect(parseIndex(w.files.index)?.size).toBe(2)
    w.files.reads = 0
    const { latchkey } = start(w)
    expect(latchkey.accounts().map(({ id, label, active }) => ({ id, label, active }))).toEqual(before.map(({ id, label, active }) => ({ id, label, active })))
    expect(w.files.reads).toBe(0)
  })

  it('holds no secret: no sealed session, no token', async () => {
    const { w, alice } = await quitWithTwo()
    const index = w.files.index ?? ''
    const sealed = (JSON.parse(w.files.files.get(alice.id) ?? '{}') as { sealed: string }).sealed
    expect(sealed).toMatch(/^v1\./)
    expect(index).not.toContain(sealed)
    expect(index).not.toContain('access-')
    expect(index).not.toContain('refresh-')
  })

  it('a session is read from its file when needed, and an account started from the index still renews and keeps its session', async () => {
    const { w, alice } = await quitWithTwo()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', hasSession: true, storage: 'keychain' })
    const before = storedSecret(w, alice.id)
    w.provider.refreshCalls.length = 0
    await latchkey.refresh(alice.id)
    await flush()
    expect(w.provider.refreshCalls).toHaveLength(1)
    const after = storedSecret(w, alice.id)
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    // The renewed session is the one a restart finds.
    await latchkey.shutdown()
    const again = start(w)
    await again.latchkey.loadSecrets()
    expect(again.latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', hasSession: true })
    expect(storedSecret(w, alice.id)).toBe(after)
  })

  it('a change to a record that was taken from the index keeps the session in its file', async () => {
    const { w, bob } = await quitWithTwo()
    const sealedBefore = (JSON.parse(w.files.files.get(bob.id) ?? '{}') as { sealed: string }).sealed
    const { latchkey } = start(w)
    // Renamed before the sessions were read (before first paint, say).
    latchkey.rename(bob.id, 'Bob at home')
    await flush()
    const file = JSON.parse(w.files.files.get(bob.id) ?? '{}') as { account: { label: string }; sealed: string }
    expect(file.account.label).toBe('Bob at home')
    expect(file.sealed).toBe(sealedBefore)
  })

  it('is kept while an account file is written, which the journal names first; an account renamed just before a crash (kill -9) shows its new name after a restart that reads only its file', async () => {
    const { w, bob } = await quitWithTwo()
    const { latchkey } = start(w)
    const index = w.files.index
    const writes = w.files.writes.length
    latchkey.rename(bob.id, 'Bob again')
    // Named before the account's file is written.
    expect(w.files.journal).toBe(`${journalHead('boot-1')}${JSON.stringify(bob.id)}\n`)
    expect(w.files.writes.length).toBe(writes)
    await flush()
    expect(w.files.writes.length).toBe(writes + 1)
    expect(w.files.index).toBe(index)
    // Killed: no quit.
    latchkey.dispose()
    w.files.reads = 0
    const again = start(w)
    expect(again.latchkey.summary(bob.id).label).toBe('Bob again')
    expect(w.files.reads).toBe(1)
  })

  it('an account renewed just before a crash shows its new expiry after the restart, though its file\'s stamp looks unchanged', async () => {
    const { w, alice } = await quitWithTwo({ stampsLie: true })
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const before = latchkey.summary(alice.id).expiresAt
    await w.clock.advance(60_000)
    await latchkey.refresh(alice.id)
    await flush()
    const renewed = latchkey.summary(alice.id).expiresAt
    expect(renewed).not.toBe(before)
    latchkey.dispose()
    const again = start(w)
    expect(again.latchkey.summary(alice.id).expiresAt).toBe(renewed)
  })

  it('an account file damaged after the index was written, while Latchkey wrote it, is reported though its stamp looks unchanged', async () => {
    const { w, bob } = await quitWithTwo({ stampsLie: true })
    const { latchkey } = start(w)
    latchkey.rename(bob.id, 'Bob at home')
    await flush()
    latchkey.dispose()
    // Cut short and padded back to its size, as a broken disk might leave it.
    const text = w.files.files.get(bob.id) ?? ''
    w.files.files.set(bob.id, text.slice(0, 40).padEnd(text.length, ' '))
    w.logger.lines.length = 0
    start(w)
    expect(w.logger.lines.find((line) => line.includes('accounts.files-damaged'))).toContain(bob.id)
  })

  it('names each account once per index however often it is written, and a clean quit writes a new index and deletes the journal', async () => {
    const { w, alice, bob } = await quitWithTwo()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    for (let i = 0; i < 5; i++) {
      await w.clock.advance(60_000)
      await latchkey.refresh(alice.id)
      await flush()
    }
    latchkey.rename(bob.id, 'Bob once more')
    await flush()
    expect(w.files.journal).toBe(`${journalHead('boot-1')}${JSON.stringify(alice.id)}\n${JSON.stringify(bob.id)}\n`)
    await latchkey.shutdown()
    expect(w.files.journal).toBeNull()
    expect(parseIndex(w.files.index)?.file(bob.id)?.account?.label).toBe('Bob once more')
    w.files.reads = 0
    start(w)
    expect(w.files.reads).toBe(0)
  })

  it('a journal begun before the machine restarted (a power cut may have lost its lines) or not one whole vouches for nothing: every file is read', async () => {
    for (const damage of [(w: ReturnType<typeof world>) => (w.files.boot = 'boot-2'), (w: ReturnType<typeof world>) => (w.files.journal = (w.files.journal ?? '').slice(0, -3))]) {
      const { w, bob } = await quitWithTwo({ stampsLie: true })
      const { latchkey } = start(w)
      latchkey.rename(bob.id, 'Bob at home')
      await flush()
      latchkey.dispose()
      damage(w)
      w.files.reads = 0
      const again = start(w)
      expect(again.latchkey.summary(bob.id).label).toBe('Bob at home')
      expect(w.files.reads).toBe(2)
      // Which leaves a new index for the next start, written while the app runs, and a journal
      // of this boot beside it that names nothing yet.
      w.logger.lines.length = 0
      await again.latchkey.loadSecrets()
      for (let turn = 0; turn < 100 && !w.logger.lines.some((line) => line.includes('accounts.index-refreshed')); turn++) await flush()
      expect(parseIndex(w.files.index)?.file(bob.id)?.account?.label).toBe('Bob at home')
      const journal = parseJournal(w.files.journal, w.files.boot)
      expect(journal !== 'untrusted' && journal.ids.size).toBe(0)
    }
  })

  it('without a journal to name a write in, the index is deleted before the write, as a crash then needs', async () => {
    const { w, bob } = await quitWithTwo()
    w.files.appendJournal = () => {
      throw new Error('No space left on device')
    }
    const { latchkey } = start(w)
    latchkey.rename(bob.id, 'Bob again')
    expect(w.files.index).toBeNull()
    await flush()
    latchkey.dispose()
    expect(start(w).latchkey.summary(bob.id).label).toBe('Bob again')
  })

  it('an account file changed since the index was written wins; the index is kept when few files were read beside it', async () => {
    const { w, bob } = await quitWithTwo()
    const file = JSON.parse(w.files.files.get(bob.id) ?? '{}') as { account: { label: string } }
    file.account.label = 'Edited while Latchkey was closed'
    w.files.files.set(bob.id, JSON.stringify(file))
    const index = w.files.index
    const { latchkey } = start(w)
    expect(latchkey.summary(bob.id).label).toBe('Edited while Latchkey was closed')
    await latchkey.loadSecrets()
    expect(w.files.index).toBe(index)
    w.files.reads = 0
    expect(start(w).latchkey.summary(bob.id).label).toBe('Edited while Latchkey was closed')
    expect(w.files.reads).toBe(1)
  })

  it('read in slices (as the browser shell starts), the list is the index\'s until the keychain is read; then a file changed since wins, its session is kept as the file says, and a damaged one is reported', async () => {
    const { w, alice, bob, carol } = await quitAfterSignIns(start, ['carol', 'bob', 'alice']).then(({ w, accounts: [carol, bob, alice] }) => ({ w, alice: alice!, bob: bob!, carol: carol! }))
    // Behind Latchkey's back while it was closed: Alice's file says she signed out and is renamed; Bob's is cut short.
    const file = JSON.parse(w.files.files.get(alice.id) ?? '{}') as { account: { label: string; signedOut: boolean } }
    file.account.label = 'Alice, signed out elsewhere'
    file.account.signedOut = true
    w.files.files.set(alice.id, JSON.stringify(file))
    w.files.files.set(bob.id, '{"v":1,"account":')
    // A slow disk: comparing the first file (Alice's is third) takes longer than a slice, so the
    // comparison goes on after the keychain has answered; sessions wait for it.
    const stamp = w.files.stamp.bind(w.files)
    w.files.stamp = (id) => {
      const started = performance.now()
      if (id === carol.id) while (performance.now() - started < SLICE_MS + 2);
      return stamp(id)
    }
    w.files.reads = 0
    const { latchkey, events } = await startInSlices(w)
    // Shown from the index, no file read.
    expect(w.files.reads).toBe(0)
    expect(latchkey.summary(alice.id).label).toBe(alice.label)
    expect(latchkey.appState().notices.map((n) => n.id)).not.toContain('account-files-damaged')
    await latchkey.loadSecrets()
    expect(latchkey.summary(alice.id)).toMatchObject({ label: 'Alice, signed out elsewhere', status: 'signed-out' })
    expect(events.some(({ event, payload }) => (event === 'account:updated' && (payload as { id: string }).id === alice.id) || event === 'accounts:changed')).toBe(true)
    // Bob: listed with the details Latchkey had, reported, and without a session to renew.
    expect(latchkey.summary(bob.id)).toMatchObject({ label: bob.label, hasSession: false })
    expect(latchkey.appState().notices.find((n) => n.id === 'account-files-damaged')?.message).toMatch(/^1 account file in .* could not be read/)
    expect(w.logger.lines.find((line) => line.includes('accounts.files-damaged'))).toContain(bob.id)
    // Signed out, as its file says: not renewed when the session it had would have been (Carol's is).
    w.provider.refreshCalls.length = 0
    await w.clock.advance(3_600_000)
    expect(latchkey.summary(alice.id).status).toBe('signed-out')
    expect(w.provider.refreshCalls).toHaveLength(1)
  })

  it('an account file damaged since the index was written is reported, not taken from the index', async () => {
    const { w, bob } = await quitWithTwo()
    w.files.files.set(bob.id, '{"v":1,"account":')
    w.logger.lines.length = 0
    const { latchkey } = start(w)
    expect(w.logger.lines.find((line) => line.includes('accounts.files-damaged'))).toContain(bob.id)
    // The settings file's record stands in for it, without a session.
    expect(latchkey.summary(bob.id).label).toBe('Bob at work')
    await latchkey.loadSecrets()
    expect(latchkey.summary(bob.id)).toMatchObject({ hasSession: false })
  })

  it.each([
    ['missing lines (cut short)', () => '{"v":2,"files":2,"settings":null}\n"x"\t["1:2",{"id":"x"', 2],
    ['one written by the version before (a single JSON document)', () => JSON.stringify({ v: 1, files: {}, settings: null }), 2],
    ['from elsewhere', () => 'not an index', 2],
    // Only the entry cut short is read from its file; the other still comes from the index.
    ['its last entry cut short', (index: string) => index.slice(0, -20), 1],
  ])('an index that is not one whole (%s) is not trusted: the files it cannot vouch for are read', async (_what, damage, reads) => {
    const { w, before } = await quitWithTwo()
    w.files.index = damage(w.files.index ?? '')
    w.files.reads = 0
    const { latchkey } = start(w)
    expect(latchkey.accounts().map((a) => a.label)).toEqual(before.map((a) => a.label))
    expect(w.files.reads).toBe(reads)
  })

  it('keeps ids that are not plain text (quotes, backslashes, tabs, line breaks) apart', () => {
    const account = (id: string) => ({ id, label: id, provider: 'oidc' as const, config: {}, identity: { subject: 's', name: null, email: null }, profile: {}, createdAt: 't', lastRefreshAt: null, expiresAt: null, attention: null, signedOut: false })
    const ids = ['plain', 'with "quotes"', 'back\\slash', 'tab\there', 'line\nbreak', '']
    const text = formatIndex({ files: new Map(ids.map((id, i) => [id, { stamp: String(i), account: account(id), sealed: i % 2 === 0 }])), settings: null })
    const read = parseIndex(text)
    expect(read?.size).toBe(ids.length)
    for (const [i, id] of ids.entries()) expect(read?.file(id)).toEqual({ stamp: String(i), account: account(id), sealed: i % 2 === 0 })
    expect(read?.file('missing')).toBeNull()
  })

  it('an account added after the index was written is read from its file after a crash', async () => {
    const { w } = await quitWithTwo()
    const first = start(w)
    await first.latchkey.loadSecrets()
    await signIn(w, first.latchkey, 'carol')
    // Killed: no quit, so no new index; the one before is kept.
    first.latchkey.dispose()
    expect(parseIndex(w.files.index)?.size).toBe(2)
    const { latchkey } = start(w)
    expect(latchkey.accounts().map((a) => a.user.subject)).toEqual(['alice', 'bob', 'carol'])
  })
})
