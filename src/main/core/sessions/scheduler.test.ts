import { describe, expect, it } from 'vitest'
import { AppError, RefreshRejectedError, TransientError } from '../errors.ts'
import { FakeClock } from '../testing/fake-clock.ts'
import { RefreshScheduler, type RefreshOutcome } from './scheduler.ts'

const HOUR = 3_600_000

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('RefreshScheduler: single flight and outcomes', () => {
  it('shares one refresh among 50 concurrent callers, and all see its success', async () => {
    const clock = new FakeClock()
    const pending = deferred<RefreshOutcome>()
    let calls = 0
    const scheduler = new RefreshScheduler({ clock, refresh: () => (calls++, pending.promise) })
    const callers = Array.from({ length: 50 }, () => scheduler.refreshNow('acct'))
    await clock.advance(0)
    expect(calls).toBe(1)
    pending.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
    const outcomes = await Promise.allSettled(callers)
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true)
    expect(calls).toBe(1)
    expect(scheduler.dueAt('acct')).toBeGreaterThan(clock.now())
    expect(scheduler.dueAt('acct')).toBeLessThan(clock.now() + HOUR)
    scheduler.dispose()
  })

  it('shares one failure among 50 concurrent callers: every one gets the same error', async () => {
    const clock = new FakeClock()
    const error = new RefreshRejectedError('The server refused the refresh token.')
    let calls = 0
    const scheduler = new RefreshScheduler({ clock, refresh: () => (calls++, Promise.reject(error)) })
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => scheduler.refreshNow('acct')))
    expect(calls).toBe(1)
    for (const outcome of outcomes) expect(outcome).toEqual({ status: 'rejected', reason: error })
  })

  it('does not start a second refresh when the timer falls due during one', async () => {
    const clock = new FakeClock()
    const pending = deferred<RefreshOutcome>()
    let calls = 0
    const scheduler = new RefreshScheduler({ clock, refresh: () => (calls++, pending.promise) })
    scheduler.track('acct', clock.now() + 5 * 60_000, clock.now())
    const manual = scheduler.refreshNow('acct')
    await clock.advance(10 * 60_000)
    expect(calls).toBe(1)
    pending.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
    await manual
    expect(scheduler.dueAt('acct')).toBeGreaterThan(clock.now())
    scheduler.dispose()
  })

  it('backs off exponentially up to the cap on transient errors, then recovers and resets', async () => {
    const clock = new FakeClock()
    let failuresLeft = 8
    const retries: Array<{ delay: number; attempt: number }> = []
    const scheduler = new RefreshScheduler({
      clock,
      random: () => 0,
      backoff: { baseMs: 1_000, capMs: 30_000 },
      refresh: () => {
        if (failuresLeft-- > 0) return Promise.reject(new TransientError('The server could not be reached.'))
        return Promise.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
      },
      onRetry: (_id, _error, retryAt, attempt) => retries.push({ delay: retryAt - clock.now(), attempt }),
    })
    await expect(scheduler.refreshNow('acct')).rejects.toBeInstanceOf(TransientError)
    await clock.advance(10 * 60_000)
    const delays = retries.map((retry) => retry.delay)
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(scheduler.dueAt('acct')).toBeGreaterThan(clock.now() + 30 * 60_000)

    failuresLeft = 1
    await scheduler.refreshNow('acct').catch(() => undefined)
    expect(retries.at(-1)).toEqual({ delay: 1_000, attempt: 1 })
    scheduler.dispose()
  })

  it('stops scheduling a rejected refresh, tells onGiveUp once, and never retries it', async () => {
    const clock = new FakeClock()
    let calls = 0
    const gaveUp: unknown[] = []
    const retried: string[] = []
    const scheduler = new RefreshScheduler({
      clock,
      refresh: () => (calls++, Promise.reject(new RefreshRejectedError('invalid_grant'))),
      onGiveUp: (_id, error) => gaveUp.push(error),
      onRetry: (id) => retried.push(id),
    })
    scheduler.track('acct', clock.now() + 2 * 60_000, clock.now())
    await clock.advance(24 * HOUR)
    expect(calls).toBe(1)
    expect(gaveUp).toHaveLength(1)
    expect(gaveUp[0]).toBeInstanceOf(RefreshRejectedError)
    expect(retried).toEqual([])
    expect(scheduler.size).toBe(0)
    expect(scheduler.dueAt('acct')).toBeUndefined()
    expect(clock.pendingTimers).toBe(0)
  })

  it('treats an unexpected error like a rejection, not as a reason to retry', async () => {
    const clock = new FakeClock()
    const gaveUp: string[] = []
    const scheduler = new RefreshScheduler({
      clock,
      refresh: () => Promise.reject(new Error('bug')),
      onGiveUp: (id) => gaveUp.push(id),
    })
    await expect(scheduler.refreshNow('acct')).rejects.toThrow('bug')
    expect(gaveUp).toEqual(['acct'])
    expect(scheduler.size).toBe(0)
  })

  it('does not re-track an account untracked while its refresh was in flight', async () => {
    const clock = new FakeClock()
    const pending = deferred<RefreshOutcome>()
    const scheduler = new RefreshScheduler({ clock, refresh: () => pending.promise })
    scheduler.track('acct', clock.now() + HOUR, clock.now())
    const flight = scheduler.refreshNow('acct')
    scheduler.untrack('acct')
    pending.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
    await flight
    expect(scheduler.size).toBe(0)
    expect(scheduler.dueAt('acct')).toBeUndefined()
    expect(clock.pendingTimers).toBe(0)
  })

  it('untracks on a null expiry and clears its timer on dispose', async () => {
    const clock = new FakeClock()
    let calls = 0
    const scheduler = new RefreshScheduler({ clock, refresh: () => (calls++, Promise.resolve({ expiresAt: null, issuedAt: 0 })) })
    scheduler.track('a', clock.now() + HOUR, clock.now())
    scheduler.track('b', null, clock.now())
    expect(scheduler.size).toBe(1)
    scheduler.track('a', null, clock.now())
    expect(scheduler.size).toBe(0)
    expect(clock.pendingTimers).toBe(0)
    scheduler.track('a', clock.now() + HOUR, clock.now())
    expect(clock.pendingTimers).toBe(1)
    scheduler.dispose()
    expect(clock.pendingTimers).toBe(0)
    await clock.advance(2 * HOUR)
    expect(calls).toBe(0)
  })
})

describe('RefreshScheduler: a server that dates its refusal (429 with Retry-After / X-RateLimit-Reset)', () => {
  it('does not retry before the time the server gave, plus at most 5 s of jitter', async () => {
    const clock = new FakeClock()
    const calls: number[] = []
    const retryAt = clock.now() + 10 * 60_000
    const scheduler = new RefreshScheduler({
      clock,
      random: () => 1,
      refresh: () => {
        calls.push(clock.now())
        return calls.length === 1 ? Promise.reject(new TransientError('slow down', { retryAt })) : Promise.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
      },
    })
    await scheduler.refreshNow('acct').catch(() => undefined)
    expect(scheduler.dueAt('acct')).toBe(retryAt + 5_000)
    await clock.advance(10 * 60_000)
    expect(calls).toHaveLength(1)
    await clock.advance(5_000)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toBeGreaterThanOrEqual(retryAt)
    scheduler.dispose()
  })

  it('keeps the ordinary backoff when the server\'s time is sooner, and retries a dated RATE_LIMITED error instead of giving up', async () => {
    const clock = new FakeClock()
    const gaveUp: unknown[] = []
    const scheduler = new RefreshScheduler({
      clock,
      random: () => 0,
      onGiveUp: (_id, error) => gaveUp.push(error),
      refresh: () => Promise.reject(new AppError('RATE_LIMITED', 'slow down', { retryAt: clock.now() + 1_000 })),
    })
    await scheduler.refreshNow('acct').catch(() => undefined)
    expect(gaveUp).toEqual([])
    expect(scheduler.dueAt('acct')).toBe(clock.now() + 5_000)
    scheduler.dispose()
  })

  it('tracking again keeps a "not before" time the server gave', () => {
    const clock = new FakeClock()
    const scheduler = new RefreshScheduler({ clock, random: () => 0, refresh: () => Promise.resolve({ expiresAt: null, issuedAt: 0 }) })
    const notBefore = clock.now() + 30 * 60_000
    scheduler.track('acct', clock.now() + 10 * 60_000, clock.now(), notBefore)
    expect(scheduler.dueAt('acct')).toBe(notBefore)
    scheduler.dispose()
  })
})
