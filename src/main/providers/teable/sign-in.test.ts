/** Password sign-in, lockout and gateway limits, keep-alive and sign-out against the Teable emulator over HTTP. */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { clockTime } from '../../core/iso-time.ts'
import { ALICE, BOB, appError, asForm, signIn, startHarness, useHarness } from './test-harness.ts'

const DAY = 86_400_000

describe('Teable password sign-in', () => {
  const h = useHarness()

  it('signs in with email and password and keeps the auth_session cookie as the session', async () => {
    const signedIn = await signIn(h, ALICE)
    expect(signedIn.identity).toMatchObject({ email: ALICE.email, name: ALICE.name })
    expect(signedIn.session.tokenType).toBe('cookie')
    expect(signedIn.session.accessToken).toMatch(/^s%3A/)
    expect(signedIn.session.refreshToken).toBeNull()
    // The session slides for 7 days from its last use.
    expect(signedIn.session.expiresAt! - signedIn.session.issuedAt).toBe(7 * DAY)
    expect(signedIn.profile.session).toMatch(/^Signed in — for profile and security/)
    expect(signedIn.profile.accessToken).toMatch(/^None/)
    expect(h.emulator.liveSessions(ALICE.email)).toBeGreaterThan(0)
  })

  it('says a wrong password plainly, in the words the other backends use (the server answers 400, not 401), and keeps the form', async () => {
    const form = asForm(await h.provider.beginSignIn(h.config, h.ctx))
    const error = await appError(form.submit('password', { email: ALICE.email, password: 'not-the-password-1' }))
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.field).toBe('password')
    expect(error.message).toBe('Wrong email or password.')
    expect(h.emulator.requests().findLast((r) => r.path === '/api/auth/signin')).toMatchObject({ status: 400 })
  })

  it('keeps two accounts on one server apart: each its own cookie, signing one out leaves the other', async () => {
    const alice = await signIn(h, ALICE)
    const bob = await signIn(h, BOB)
    expect(alice.session.accessToken).not.toBe(bob.session.accessToken)
    const aliceAgain = await h.provider.refresh(h.config, alice.session, h.ctx)
    const bobAgain = await h.provider.refresh(h.config, bob.session, h.ctx)
    expect(aliceAgain.profile?.email).toBe(ALICE.email)
    expect(bobAgain.profile?.email).toBe(BOB.email)
    const out = await h.provider.signOut(h.config, alice.session, h.ctx)
    expect(out.revokedOnServer).toBe(true)
    await expect(h.provider.refresh(h.config, alice.session, h.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
    expect((await h.provider.refresh(h.config, bob.session, h.ctx)).profile?.email).toBe(BOB.email)
  })

  it('sign-out destroys the session on the server, and says so honestly when it had already ended', async () => {
    const { session } = await signIn(h, BOB)
    const before = h.emulator.liveSessions(BOB.email)
    const first = await h.provider.signOut(h.config, session, h.ctx)
    expect(first).toMatchObject({ revokedOnServer: true, message: `${new URL(h.emulator.url).host} ended this session.` })
    expect(h.emulator.liveSessions(BOB.email)).toBe(before - 1)
    const again = await h.provider.signOut(h.config, session, h.ctx)
    expect(again.revokedOnServer).toBe(false)
    expect(again.message).toMatch(/had already ended/)
  })
})

describe('Teable keep-alive', () => {
  it('touches the session so it slides, and a lapsed session (anonymous 200) needs signing in again', async () => {
    const h = await startHarness()
    try {
      const { session } = await signIn(h, ALICE)
      h.advance(6 * DAY)
      const before = h.ctx.clock.now()
      const touched = await h.provider.refresh(h.config, session, h.ctx)
      expect(touched.session.accessToken).toBe(session.accessToken)
      expect(touched.session.issuedAt).toBeGreaterThanOrEqual(before)
      expect(touched.session.expiresAt! - touched.session.issuedAt).toBe(7 * DAY)
      h.advance(6 * DAY)
      // Twelve days after sign-in, but only six after the touch: still alive.
      const again = await h.provider.refresh(h.config, touched.session, h.ctx)
      h.advance(8 * DAY)
      const error = await appError(h.provider.refresh(h.config, again.session, h.ctx))
      expect(error).toBeInstanceOf(RefreshRejectedError)
      expect(error.message).toMatch(/has ended this session .* Sign in again\.$/)
      expect(h.emulator.requests().at(-1)).toMatchObject({ path: '/api/auth/user/me', status: 200 })
    } finally {
      await h.stop()
    }
  })

  it('treats a 401 from an older server the same way, and a session ended on the server too', async () => {
    const h = await startHarness({ unknownSession: '401' })
    try {
      const { session } = await signIn(h, ALICE)
      h.emulator.endSessions(ALICE.email)
      await expect(h.provider.refresh(h.config, session, h.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
      expect(h.emulator.requests().at(-1)).toMatchObject({ path: '/api/auth/user/me', status: 401 })
    } finally {
      await h.stop()
    }
  })

  it('backs off (a transient failure) when the gateway limits requests or the server is down', async () => {
    const h = await startHarness()
    try {
      const { session } = await signIn(h, ALICE)
      h.emulator.setGateway({ limit: 0, windowMs: 60_000 })
      const limited = await appError(h.provider.refresh(h.config, session, h.ctx))
      expect(limited).toBeInstanceOf(TransientError)
      expect(limited.message).toMatch(/limiting how often .* Try again at \d\d:\d\d\./)
      // The scheduler's "not before": the end of the gateway's window (Unix seconds + Retry-After).
      const windowEnd = Math.ceil((h.ctx.clock.now() + 60_000) / 1000) * 1000
      expect(limited.retryAt).toBeGreaterThanOrEqual(windowEnd - 1000)
      expect(limited.retryAt).toBeLessThanOrEqual(windowEnd + 1000)
      h.emulator.setGateway(null)
      await h.stop()
      await expect(h.provider.refresh(h.config, session, h.ctx)).rejects.toBeInstanceOf(TransientError)
    } finally {
      await h.stop().catch(() => undefined)
    }
  })
})

describe('Teable behind a human check (Cloudflare Turnstile)', () => {
  it('says that only the server’s page can pass it, for a sign-in with the right password and for a new account', async () => {
    const h = await startHarness({ turnstileSiteKey: '0x4AAAAAAAexample' })
    try {
      const form = asForm(await h.provider.beginSignIn(h.config, h.ctx))
      const host = new URL(h.emulator.url).host
      const signIn = await appError(form.submit('password', { email: ALICE.email, password: ALICE.password }))
      expect(signIn.code).toBe('AUTH_FAILED')
      expect(signIn.message).toMatch(new RegExp(`^${host.replace(/\./g, '\\.')} asks for a human check \\(Cloudflare Turnstile\\)`))
      const signUp = asForm(await form.submit('to-sign-up', {}))
      const created = await appError(signUp.submit('sign-up', { email: 'gil@example.test', newPassword: 'explorer-45', confirm: 'explorer-45' }))
      expect(created.message).toBe(signIn.message)
      h.secrets.add('explorer-45')
    } finally {
      await h.stop()
    }
  })
})

describe('Teable rate limits at sign-in', () => {
  it('turns the lockout (429 with minutes) into "try again at HH:MM"', async () => {
    const h = await startHarness({ lockout: { maxAttempts: 2, minutes: 15 } })
    try {
      const form = asForm(await h.provider.beginSignIn(h.config, h.ctx))
      const first = await appError(form.submit('password', { email: ALICE.email, password: 'wrong-password-1' }))
      expect(first.message).toMatch(/failed attempts so far: 1/)
      await appError(form.submit('password', { email: ALICE.email, password: 'wrong-password-2' }))
      const locked = await appError(form.submit('password', { email: ALICE.email, password: 'wrong-password-3' }))
      expect(locked.code).toBe('RATE_LIMITED')
      expect(locked.message).toBe(`${new URL(h.emulator.url).host} has locked this account after too many failed sign-ins. Try again at ${clockTime(h.ctx.clock.now() + 15 * 60_000)}.`)
      expect(locked.message).not.toMatch(/\b429\b/)
    } finally {
      await h.stop()
    }
  })

  it('reads a gateway whose X-RateLimit-Reset counts seconds from now (no Retry-After)', async () => {
    const h = await startHarness()
    try {
      const { session } = await signIn(h, ALICE)
      h.emulator.setGateway({ limit: 0, windowMs: 300_000, reset: 'seconds-from-now' })
      const limited = await appError(h.provider.refresh(h.config, session, h.ctx))
      expect(limited).toBeInstanceOf(TransientError)
      expect(limited.retryAt).toBeGreaterThanOrEqual(h.ctx.clock.now() + 299_000)
      expect(limited.retryAt).toBeLessThanOrEqual(h.ctx.clock.now() + 301_000)
    } finally {
      await h.stop()
    }
  })

  it('turns a gateway 429 with X-RateLimit-Reset into "try again at HH:MM"', async () => {
    const h = await startHarness({ gateway: { limit: 0, windowMs: 120_000 } })
    try {
      const form = asForm(await h.provider.beginSignIn(h.config, h.ctx))
      const error = await appError(form.submit('password', { email: ALICE.email, password: ALICE.password }))
      expect(error.code).toBe('RATE_LIMITED')
      const reset = Math.ceil((h.ctx.clock.now() + 120_000) / 1000) * 1000
      expect([clockTime(reset), clockTime(reset - 1000)]).toContain(/at (\d\d:\d\d)/.exec(error.message)?.[1])
    } finally {
      await h.stop()
    }
  })
})
