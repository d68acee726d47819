import { afterEach, describe, expect, it, vi } from 'vitest'
import { SecretVault } from '../secrets/vault.ts'
import { factsOf, type Session } from '../sessions/session.ts'
import { fakeSession, signedInAs } from '../testing/fake-provider.ts'
import { flush, storedSecret, tracked, world, type World } from '../testing/harness.ts'
import type { Latchkey } from './latchkey.ts'

const HOUR = 3_600_000
const { start, stopAll } = tracked()
afterEach(() => {
  stopAll()
  vi.restoreAllMocks()
})

async function signIn(w: World, latchkey: Latchkey, subject: string, session: Session, config: Record<string, string> = {}) {
  const step = await latchkey.beginSignIn('oidc', { issuer: 'https://id.example.test', ...config })
  if (step.kind !== 'browser') throw new Error('expected a browser step')
  w.provider.completeBrowser(signedInAs(subject, session))
  const done = await latchkey.completeSignIn(step.attemptId)
  if (done.kind !== 'done') throw new Error('expected done')
  return done.account
}

/** A data folder where Alice signed in (a session good for an hour) before Latchkey quit. */
async function aliceSignedInBefore() {
  const w = world()
  const first = start(w)
  await first.latchkey.loadSecrets()
  const alice = await signIn(w, first.latchkey, 'alice', fakeSession(w.clock.now(), HOUR))
  await first.latchkey.shutdown()
  return { w, alice }
}

/** The account file as the disk holds it. */
function fileOf(w: World, id: string): { account: Record<string, unknown> & { sessionFacts?: unknown }; sealed: string | null } {
  return JSON.parse(w.files.files.get(id) ?? '{}') as { account: Record<string, unknown>; sealed: string | null }
}

/** The session sealed in the account's file, opened with the keychain's vault key. */
function sealedSession(w: World, id: string): Session | null {
  return (JSON.parse(storedSecret(w, id) ?? '{"session":null}') as { session: Session | null }).session
}

/** Rewrites the data folder as a version before `sessionFacts` left it: no facts in any record. */
function asEarlierVersion(w: World): void {
  for (const [id, text] of w.files.files) {
    const file = JSON.parse(text) as { account: Record<string, unknown> | null }
    if (file.account) delete file.account['sessionFacts']
    w.files.files.set(id, JSON.stringify(file))
  }
  const settings = w.settings.read()
  w.settings.write({ ...settings, accounts: settings.accounts.map((account) => Object.fromEntries(Object.entries(account).filter(([key]) => key !== 'sessionFacts')) as typeof account) })
  w.files.index = null
}

describe('what the record says of its session', () => {
  it('holds its times and how it renews, written with the sealed session in one write, and never a token', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice', fakeSession(w.clock.now(), HOUR), { clientSecret: 'kept-secret' })
    await flush()
    expect(fileOf(w, alice.id).account.sessionFacts).toEqual(factsOf(sealedSession(w, alice.id) as Session))

    w.files.writes.length = 0
    await latchkey.refresh(alice.id)
    await flush()
    // The in-flight mark, then one write with the renewed session and what the record says of it.
    expect(w.files.writes).toEqual([alice.id, alice.id])
    const renewed = sealedSession(w, alice.id) as Session
    expect(renewed.accessToken).not.toBe(w.provider.refreshCalls[0]?.accessToken)
    expect(fileOf(w, alice.id).account.sessionFacts).toEqual(factsOf(renewed))
    const record = JSON.stringify(fileOf(w, alice.id).account)
    expect(record).not.toContain(renewed.accessToken)
    expect(record).not.toContain(renewed.refreshToken as string)

    await latchkey.signOut(alice.id)
    await flush()
    // Signed out, the secret part of its configuration stays sealed; the record says there is no session.
    expect(fileOf(w, alice.id).account.sessionFacts).toBeNull()
    expect(storedSecret(w, alice.id)).toContain('kept-secret')
    expect(latchkey.summary(alice.id)).toMatchObject({ hasSession: false, status: 'signed-out' })
  })
})

describe('a start', () => {
  it('schedules every account from its record and opens no session; each renewal opens only its own', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const now = w.clock.now()
    const alice = await signIn(w, first.latchkey, 'alice', fakeSession(now, HOUR))
    const bob = await signIn(w, first.latchkey, 'bob', fakeSession(now, 2 * HOUR))
    const carol = await signIn(w, first.latchkey, 'carol', fakeSession(now, 3 * HOUR, { refreshToken: null }))
    const stored = new Map([alice, bob, carol].map((a) => [a.id, sealedSession(w, a.id) as Session]))
    await first.latchkey.shutdown()

    const opened = vi.spyOn(SecretVault.prototype, 'get')
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(opened).not.toHaveBeenCalled()
    // The list shows each session's expiry and how it renews, from the records.
    expect(latchkey.accounts().map((a) => [a.id, a.status, a.hasSession, a.renewal, a.expiresAt])).toEqual([
      [alice.id, 'signed-in', true, 'automatic', new Date(now + HOUR).toISOString()],
      [bob.id, 'signed-in', true, 'automatic', new Date(now + 2 * HOUR).toISOString()],
      [carol.id, 'signed-in', true, 'none', new Date(now + 3 * HOUR).toISOString()],
    ])
    expect(opened).not.toHaveBeenCalled()

    // Alice's session is renewed before it expires, with the session her file holds, opened then.
    await w.clock.advance(HOUR - 6 * 60_000)
    expect(w.provider.refreshCalls.map((s) => s.accessToken)).toEqual([stored.get(alice.id)?.accessToken])
    expect(opened.mock.calls.map(([id]) => id)).toEqual([alice.id])
    // Then Bob's, in his turn (and Alice's again); each renewal opens the one session it renews.
    await w.clock.advance(HOUR)
    expect(w.provider.refreshCalls.map((s) => s.accessToken)).toContain(stored.get(bob.id)?.accessToken)
    expect(opened.mock.calls.map(([id]) => id).sort()).toEqual(w.provider.refreshCalls.map((s) => (s.accessToken === stored.get(bob.id)?.accessToken ? bob.id : alice.id)).sort())
    // Carol's (no refresh token) is left to expire, and says so when it does.
    expect(latchkey.summary(carol.id).status).toBe('signed-in')
    await w.clock.advance(HOUR + 10 * 60_000)
    expect(latchkey.summary(carol.id)).toMatchObject({ status: 'needs-attention', attention: { reason: 'expired' } })
  })

  it('without the keychain, the records’ sessions are not offered: the vault still fails closed', async () => {
    const { w, alice } = await aliceSignedInBefore()
    w.keychain.mode('throw')

    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    expect(latchkey.summary(alice.id)).toMatchObject({ hasSession: false, renewal: 'none', attention: { reason: 'keychain-unavailable' } })
    await expect(latchkey.copyToken(alice.id, 'access')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await w.clock.advance(2 * HOUR)
    expect(w.provider.refreshCalls).toHaveLength(0)
  })
})

describe('a session used', () => {
  it('is opened from its file each time it is used, and not kept', async () => {
    const w = world()
    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    const alice = await signIn(w, latchkey, 'alice', fakeSession(w.clock.now(), HOUR))
    await flush()
    const reads = w.files.reads
    const first = await latchkey.copyToken(alice.id, 'access')
    expect(first).toEqual({ delivered: 'value', value: sealedSession(w, alice.id)?.accessToken })
    expect(w.files.reads).toBe(reads + 1)
    latchkey.detail(alice.id)
    expect(w.files.reads).toBe(reads + 2)
    // Listing accounts opens nothing.
    latchkey.accounts()
    latchkey.accountPage({ offset: 0, limit: 50 })
    expect(w.files.reads).toBe(reads + 2)
    // What the file holds now is what the next use gets: nothing held the one used before.
    await latchkey.refresh(alice.id)
    const again = await latchkey.copyToken(alice.id, 'access')
    expect(again).toEqual({ delivered: 'value', value: sealedSession(w, alice.id)?.accessToken })
    expect(again).not.toEqual(first)
  })
})

describe('a data folder from before the record said anything of its session', () => {
  it('loads, learns each session’s facts when the vault opens, and keeps them in the record', async () => {
    const w = world()
    const first = start(w)
    await first.latchkey.loadSecrets()
    const alice = await signIn(w, first.latchkey, 'alice', fakeSession(w.clock.now(), HOUR))
    const bob = await signIn(w, first.latchkey, 'bob', fakeSession(w.clock.now(), HOUR), { clientSecret: 'bob-secret' })
    await first.latchkey.signOut(bob.id)
    await first.latchkey.shutdown()
    const aliceSession = sealedSession(w, alice.id) as Session
    asEarlierVersion(w)
    expect(fileOf(w, alice.id).account).not.toHaveProperty('sessionFacts')

    const second = start(w)
    expect(second.latchkey.summary(alice.id)).toMatchObject({ hasSession: false })
    w.files.unflushed.length = 0
    await second.latchkey.loadSecrets()
    await flush()
    expect(second.latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', hasSession: true, renewal: 'automatic', expiresAt: new Date(aliceSession.expiresAt as number).toISOString() })
    expect(second.latchkey.summary(bob.id)).toMatchObject({ status: 'signed-out', hasSession: false })
    // Written (not flushed: they can be learnt again) into each record.
    expect(fileOf(w, alice.id).account.sessionFacts).toEqual(factsOf(aliceSession))
    expect(fileOf(w, bob.id).account.sessionFacts).toBeNull()
    expect(new Set(w.files.unflushed)).toEqual(new Set([alice.id, bob.id]))
    expect(storedSecret(w, bob.id)).toContain('bob-secret')
    await second.latchkey.shutdown()

    // The next start has them from the records.
    const opened = vi.spyOn(SecretVault.prototype, 'get')
    const third = start(w)
    await third.latchkey.loadSecrets()
    expect(opened).not.toHaveBeenCalled()
    expect(third.latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', hasSession: true })
    await w.clock.advance(HOUR - 6 * 60_000)
    expect(w.provider.refreshCalls.map((s) => s.accessToken)).toEqual([aliceSession.accessToken])
  })

  it('learns nothing while the keychain is unavailable, and learns them once "Try again" works', async () => {
    const { w, alice } = await aliceSignedInBefore()
    asEarlierVersion(w)
    w.keychain.mode('throw')

    const { latchkey } = start(w)
    await latchkey.loadSecrets()
    await flush()
    expect(latchkey.summary(alice.id)).toMatchObject({ hasSession: false, attention: { reason: 'keychain-unavailable' } })
    expect(fileOf(w, alice.id).account).not.toHaveProperty('sessionFacts')
    expect(fileOf(w, alice.id).sealed).toEqual(expect.any(String))

    w.keychain.mode('ok')
    await latchkey.retryKeychain()
    await flush()
    expect(latchkey.summary(alice.id)).toMatchObject({ status: 'signed-in', hasSession: true })
    expect(fileOf(w, alice.id).account.sessionFacts).toEqual(factsOf(sealedSession(w, alice.id) as Session))
  })
})
