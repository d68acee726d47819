import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import PocketBase from 'pocketbase'
import { systemClock } from '../../core/ports.ts'
import { ALICE, BOB, bosBaseOnly, failure, leakedSecrets, pocketBaseOnly, REAL_POCKETBASE, ROOT, signInWithPassword, startHarness, useHarness, VERIFIED_ONLY } from './test-harness.ts'
import { untilExpired } from '../testing/server-clock.ts'

const YEAR_MS = 365 * 86_400_000

describe('refresh against PocketBase (refreshable tokens) and BosBase', () => {
  const harness = useHarness()

  pocketBaseOnly.it('exchanges the token for a new one that lasts longer', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    // Tokens are cut to whole seconds: a refresh in the same second would mint the same bytes.
    await harness.letASecondPass()
    const { session: next, profile } = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(next.accessToken).not.toBe(session.accessToken)
    expect(next).toMatchObject({ refreshToken: null, tokenType: 'PocketBase', isStatic: false })
    expect(next.expiresAt).toBe((decodeJwt(next.accessToken).exp ?? 0) * 1000)
    expect(next.expiresAt).toBeGreaterThan(session.expiresAt ?? Infinity)
    expect(profile).toMatchObject({ id: ALICE.id, email: ALICE.email })
    // The new token works (it renews again).
    expect((await harness.provider.refresh(harness.config, next, harness.ctx)).session.accessToken).not.toBe('')
  })

  pocketBaseOnly.it('leaves the renewed token valid (renewalKeepsOldToken): a renewal whose answer was never stored loses nothing', async () => {
    expect(harness.provider.renewalKeepsOldToken).toBe(true)
    const { session } = await signInWithPassword(harness, ALICE)
    await harness.letASecondPass()
    const { session: next } = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(next.accessToken).not.toBe(session.accessToken)
    // Latchkey stopped before storing `next`: the token it still has renews.
    await harness.letASecondPass()
    const again = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(again.session.accessToken).not.toBe(session.accessToken)
    expect(again.session.expiresAt).toBeGreaterThan(session.expiresAt ?? Infinity)
  })

  it('rejects a token killed by a password change elsewhere, in words a person understands', async () => {
    const { session } = await signInWithPassword(harness, BOB)
    await harness.emulator.setPassword('users', BOB.email, 'changed-elsewhere-1')
    harness.secrets.add('changed-elsewhere-1')
    const error = await failure(harness.provider.refresh(harness.config, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe(
      `${new URL(harness.emulator.url).host} no longer accepts this session: the password or email may have been changed elsewhere. Sign in again.`,
    )
    await harness.emulator.setPassword('users', BOB.email, BOB.password)
  })

  it('a renewal the auth rule refuses (the record no longer verified) says that, not that the password changed', async () => {
    const strict = await startHarness({ authRule: VERIFIED_ONLY })
    try {
      const { session } = await signInWithPassword(strict, ALICE)
      const admin = new PocketBase(strict.emulator.url)
      await admin.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
      await admin.collection('users').update(ALICE.id, { verified: false })
      const error = await failure(strict.provider.refresh(strict.config, session, strict.ctx))
      expect(error).toBeInstanceOf(RefreshRejectedError)
      expect(error.message).toMatch(/no longer lets this account sign in: it does not meet the collection’s sign-in rule \(the server said: “The request doesn't satisfy the collection requirements to authenticate\.”\)/)
      expect(error.message).not.toMatch(/password/)
    } finally {
      await strict.stop()
    }
  })

  pocketBaseOnly.it('says an expired token expired (PocketBase renews only valid ones), not that the password was changed', async () => {
    // PocketBase's shortest token duration is 10 s; the emulator's clock and the provider's move past it together.
    let offset = 0
    const clock = { ...systemClock, now: () => Date.now() + offset }
    const short = await startHarness({ tokenDurationSeconds: 10 }, { clock })
    try {
      const { session } = await signInWithPassword(short, ALICE)
      if (REAL_POCKETBASE) {
        await untilExpired(session.accessToken)
      } else {
        short.advanceServerTime(11_000)
        offset = 11_000
      }
      const error = await failure(short.provider.refresh(short.config, session, short.ctx))
      expect(error).toBeInstanceOf(RefreshRejectedError)
      const expiry = `${new Date(session.expiresAt ?? 0).toISOString().slice(0, 16).replace('T', ' ')} UTC`
      expect(error.message).toBe(
        `The session on ${new URL(short.emulator.url).host} expired on ${expiry}, and PocketBase renews a session only while it is still valid. Sign in again.`,
      )
    } finally {
      await short.stop()
    }
  }, 30_000)

  it('says the collection is gone when the server no longer has it (404), not that the password was changed', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    const renamed = harness.provider.parseConfig({ url: harness.emulator.url, collection: 'members' })
    const error = await failure(harness.provider.refresh(renamed, session, harness.ctx))
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error.message).toBe(
      `${new URL(harness.emulator.url).host} no longer has the “members” auth collection this account signs in to: it was removed or renamed there. Sign in again once the server has it back.`,
    )
  })

  it('treats an unreachable server as transient', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    const gone = await startHarness()
    await gone.stop()
    const error = await failure(harness.provider.refresh(gone.config, session, harness.ctx))
    expect(error).toBeInstanceOf(TransientError)
    expect(leakedSecrets(harness, error.message)).toEqual([])
  })
})

bosBaseOnly.describe('refresh against BosBase (static 100-year tokens)', () => {
  const harness = useHarness()

  it('signs in with a static token that lasts about 100 years', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    expect(session.isStatic).toBe(true)
    expect(decodeJwt(session.accessToken).refreshable).toBe(false)
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 99 * YEAR_MS)
  })

  it('gives the same session back on refresh, with the current profile: the token is checked, not renewed', async () => {
    const { session } = await signInWithPassword(harness, ALICE)
    // PocketBase would mint different bytes once a second has passed; BosBase gives the same token back.
    await harness.letASecondPass()
    const before = harness.emulator.requests().length
    const { session: checked, profile } = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(checked).toEqual({ ...session, isStatic: true })
    expect(profile).toMatchObject({ id: ALICE.id, name: ALICE.name })
    expect(harness.emulator.requests().slice(before)).toEqual([{ method: 'POST', path: '/api/collections/users/auth-refresh', status: 200 }])
  })

  it('rejects a static token after the password was changed elsewhere', async () => {
    const { session } = await signInWithPassword(harness, BOB)
    await harness.emulator.setPassword('users', BOB.email, 'changed-elsewhere-2')
    harness.secrets.add('changed-elsewhere-2')
    expect(await failure(harness.provider.refresh(harness.config, session, harness.ctx))).toBeInstanceOf(RefreshRejectedError)
  })
})
