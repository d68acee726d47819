/** Renewing and checking v2 tokens against the emulator. */
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError, TransientError } from '../../core/errors.ts'
import { factsOf } from '../../core/sessions/session.ts'
import { ADA, signIn, useHarness } from './test-harness.ts'

const harness = useHarness()

describe('renewal', () => {
  it('renews a valid token with the refreshToken mutation: a new token with a new 14-day expiry', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    harness.advanceServerTime(3 * 86_400_000)
    const { session: renewed } = await harness.provider.refresh(harness.config, session, harness.ctx)
    expect(renewed.accessToken).not.toBe(session.accessToken)
    expect(renewed.expiresAt ?? 0).toBeGreaterThan((session.expiresAt ?? 0) + 2.9 * 86_400_000)
    expect(harness.emulator.requests().slice(-2).map((request) => request.operation)).toEqual(['checkLoginStatus', 'refreshToken'])
    // The renewed token works; so does "Check session" with it.
    await expect(harness.provider.refresh(harness.config, renewed, harness.ctx)).resolves.toBeDefined()
  })

  it('refuses a token logged out elsewhere: the account needs attention', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    harness.advanceServerTime(2000)
    harness.emulator.logoutEverywhere(ADA.email)
    const error = await harness.provider.refresh(harness.config, session, harness.ctx).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect((error as Error).message).toMatch(/no longer valid/)
  })

  it('cannot renew a token that has expired, and says so', async () => {
    harness.advanceServerTime(2000)
    const { session } = await signIn(harness, ADA.email, ADA.password)
    harness.advanceServerTime(15 * 86_400_000)
    const error = await harness.provider.refresh(harness.config, session, harness.ctx).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect((error as Error).message).toMatch(/expired/)
  })

  it('waits for the gateway: a 429 with Retry-After becomes a retry not before that time', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    harness.emulator.rateLimit(90)
    try {
      const error = await harness.provider.refresh(harness.config, session, harness.ctx).catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(TransientError)
      const now = harness.ctx.clock.now()
      expect((error as TransientError).retryAt).toBeGreaterThanOrEqual(now + 89_000)
      expect((error as TransientError).retryAt).toBeLessThanOrEqual(now + 91_000)
    } finally {
      harness.emulator.rateLimit(null)
    }
    await expect(harness.provider.refresh(harness.config, session, harness.ctx)).resolves.toBeDefined()
  })

  it('checks a token with checkLoginStatus alone ("Check session"), and refuses one logged out elsewhere', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    const renewals = () => harness.emulator.requests().filter((request) => request.operation === 'refreshToken').length
    const before = renewals()
    const provider = harness.provider
    expect(provider.canCheckSession?.(factsOf(session))).toBe(true)
    await expect(provider.checkSession?.(harness.config, session, harness.ctx)).resolves.toBeUndefined()
    expect(harness.emulator.requests().at(-1)?.operation).toBe('checkLoginStatus')
    harness.advanceServerTime(2000)
    harness.emulator.logoutEverywhere(ADA.email)
    const error = await provider.checkSession?.(harness.config, session, harness.ctx).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect((error as Error).message).toMatch(/no longer valid/)
    expect(renewals()).toBe(before)
  })

  it('treats an unreachable server as a network problem worth retrying', async () => {
    const { session } = await signIn(harness, ADA.email, ADA.password)
    const config = { ...harness.config, appHost: 'http://127.0.0.1:9' }
    await expect(harness.provider.refresh(config, session, harness.ctx)).rejects.toBeInstanceOf(TransientError)
  })
})
