/**
 * The start-up index on the core's in-memory disk: a restart after a clean quit reads no account
 * file until a session is needed, a file changed since wins, and the index is gone before anything
 * it describes is written (so a crash never leaves one that is out of date).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { flush, signIn, storedSecret, tracked, world } from '../testing/harness.ts'
import { formatIndex, parseIndex } from './startup-index.ts'

const { start, stopAll } = tracked()
afterEach(stopAll)


/** A world with two signed-in accounts, quit cleanly (which leaves the index). */
async function quitWithTwo() {
  const w = world()
  const first = start(w)
  await first.latchkey.loadSecrets()
  const alice = await signIn(w, first.latchkey, 'alice')
  const bob = await signIn(w, first.latchkey, 'bob')
  first.latchkey.rename(bob.id, 'Bob at work')
  const before = first.latchkey.accounts()
  await first.latchkey.shutdown()
  return { w, alice, bob, before }
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

  it('is deleted before the first write after it was read, so a crash (kill -9) right after leaves none', async () => {
    const { w, bob } = await quitWithTwo()
    const { latchkey } = start(w)
    expect(w.files.index).not.toBeNull()
    const writes = w.files.writes.length
    latchkey.rename(bob.id, 'Bob again')
    // Gone already, before the account's file is written.
    expect(w.files.index).toBeNull()
    expect(w.files.writes.length).toBe(writes)
  })

  it('an account file changed since the index was written wins, and a new index is written after the start', async () => {
    const { w, bob } = await quitWithTwo()
    const file = JSON.parse(w.files.files.get(bob.id) ?? '{}') as { account: { label: string } }
    file.account.label = 'Edited while Latchkey was closed'
    w.files.files.set(bob.id, JSON.stringify(file))
    const { latchkey } = start(w)
    expect(latchkey.summary(bob.id).label).toBe('Edited while Latchkey was closed')
    await latchkey.loadSecrets()
    const rebuilt = parseIndex(w.files.index)
    expect(rebuilt?.file(bob.id)?.account?.label).toBe('Edited while Latchkey was closed')
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

  it('an account added after the index was written is read from its file', async () => {
    const { w } = await quitWithTwo()
    const first = start(w)
    await first.latchkey.loadSecrets()
    await signIn(w, first.latchkey, 'carol')
    // Killed: no quit, so no new index (the old one was deleted before the first write).
    first.latchkey.dispose()
    expect(w.files.index).toBeNull()
    const { latchkey } = start(w)
    expect(latchkey.accounts().map((a) => a.user.subject)).toEqual(['alice', 'bob', 'carol'])
  })
})
