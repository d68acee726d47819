/** When the scheduler touches a Teable session, and what an expired access token does to an account. */
import { describe, expect, it } from 'vitest'
import { refreshDueAt } from '../../core/sessions/refresh-plan.ts'
import { RefreshRejectedError } from '../../core/errors.ts'
import { asDone, asForm, createToken, signIn, startHarness, ALICE } from './test-harness.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('Teable keep-alive timing', () => {
  it('is scheduled more than 16 hours before the 7-day sliding lifetime would lapse, and a shorter server setting is honoured', async () => {
    const h = await startHarness({ sessionTtlMs: DAY })
    try {
      const { session } = await signIn(h, ALICE)
      expect(session.expiresAt! - refreshDueAt(session.expiresAt!, session.issuedAt, () => 1)).toBeGreaterThan(16 * HOUR)
      // A server set to one day (BACKEND_SESSION_EXPIRES_IN=1d): the account says so and is touched in time.
      const oneDay = h.provider.parseConfig({ url: h.emulator.url, sessionDays: '1' })
      const short = asDone(await asForm(await h.provider.beginSignIn(oneDay, h.ctx)).submit('password', { email: ALICE.email, password: ALICE.password }))
      expect(short.session.expiresAt! - short.session.issuedAt).toBe(DAY)
      const due = refreshDueAt(short.session.expiresAt!, short.session.issuedAt, () => 1)
      h.advance(due - short.session.issuedAt)
      await expect(h.provider.refresh(oneDay, short.session, h.ctx)).resolves.toMatchObject({ session: { accessToken: short.session.accessToken } })
    } finally {
      await h.stop()
    }
  })
})

describe('Teable access token expiry', () => {
  it('an expired token needs attention on its own: the session keeps working, a token-only account needs signing in', async () => {
    const h = await startHarness()
    try {
      const { session } = await signIn(h, ALICE)
      const { token } = await createToken(h, session.accessToken, { expiredTime: new Date(h.ctx.clock.now() + 2 * DAY).toISOString() })
      const config = h.provider.parseConfig({ url: h.emulator.url, token })
      const tokenOnly = asDone(await asForm(await h.provider.beginSignIn(config, h.ctx)).submit('token-only', {}))
      h.advance(3 * DAY)
      const touched = await h.provider.refresh(config, session, h.ctx)
      expect(touched.profile?.accessToken).toMatch(/^Needs attention — .* no longer accepts this token/)
      expect(touched.profile?.session).toMatch(/^Signed in/)
      // The token's own status; the session was renewed, untouched.
      expect(touched.credentials).toEqual([
        expect.objectContaining({ kind: 'personal-access-token', status: 'needs-attention', message: expect.stringMatching(/no longer accepts this token/) as unknown }),
      ])
      expect(touched.session.accessToken).toBe(session.accessToken)
      await expect(h.provider.refresh(config, tokenOnly.session, h.ctx)).rejects.toBeInstanceOf(RefreshRejectedError)
    } finally {
      await h.stop()
    }
  })
})

describe('Teable access token status', () => {
  it('a live token is listed as working with its name and expiry; a token deleted on the server needs attention on its own', async () => {
    const h = await startHarness()
    try {
      const { session } = await signIn(h, ALICE)
      const expiredTime = new Date(h.ctx.clock.now() + 30 * DAY).toISOString()
      const { id, token } = await createToken(h, session.accessToken, { name: 'reports', expiredTime })
      const config = h.provider.parseConfig({ url: h.emulator.url, token })
      const live = await h.provider.refresh(config, session, h.ctx)
      expect(live.credentials).toEqual([{ kind: 'personal-access-token', label: 'Access token “reports”', status: 'ok', expiresAt: expiredTime, message: expect.stringMatching(/^For the data API/) as unknown }])
      h.emulator.deleteAccessToken(ALICE.email, id)
      const dead = await h.provider.refresh(config, session, h.ctx)
      expect(dead.credentials?.[0]).toMatchObject({ kind: 'personal-access-token', status: 'needs-attention' })
      expect(dead.session.accessToken).toBe(session.accessToken)
    } finally {
      await h.stop()
    }
  })
})
