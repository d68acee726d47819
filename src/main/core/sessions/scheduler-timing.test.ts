import { describe, expect, it } from 'vitest'
import { FakeClock } from '../testing/fake-clock.ts'
import { RefreshScheduler } from './scheduler.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A small seeded generator, so jitter is real but the run repeatable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

function recorder(clock: FakeClock, options: { maxTimerMs?: number; random?: () => number } = {}) {
  const refreshed: Array<{ id: string; at: number }> = []
  const scheduler = new RefreshScheduler({
    clock,
    random: options.random ?? seeded(1),
    ...(options.maxTimerMs === undefined ? {} : { maxTimerMs: options.maxTimerMs }),
    refresh: (id) => {
      refreshed.push({ id, at: clock.now() })
      return Promise.resolve({ expiresAt: clock.now() + 100 * HOUR, issuedAt: clock.now() })
    },
  })
  return { scheduler, refreshed }
}

describe('RefreshScheduler: timing', () => {
  it('refreshes at expiry minus 10 % of a long lifetime, within the jitter window', async () => {
    for (const seed of [1, 2, 3]) {
      const clock = new FakeClock()
      const { scheduler, refreshed } = recorder(clock, { random: seeded(seed) })
      const start = clock.now()
      const expiresAt = start + 10 * HOUR
      scheduler.track('acct', expiresAt, start)
      const due = scheduler.dueAt('acct') ?? Number.NaN
      expect(due).toBeLessThanOrEqual(expiresAt - HOUR)
      expect(due).toBeGreaterThanOrEqual(expiresAt - HOUR - 30_000)
      await clock.advance(due - start - 1)
      expect(refreshed).toEqual([])
      await clock.advance(1)
      expect(refreshed).toEqual([{ id: 'acct', at: due }])
      scheduler.dispose()
    }
  })

  it('refreshes at expiry minus 60 s when 10 % is less than that', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock)
    const start = clock.now()
    const expiresAt = start + 5 * MINUTE
    scheduler.track('acct', expiresAt, start)
    const due = scheduler.dueAt('acct') ?? Number.NaN
    expect(due).toBeLessThanOrEqual(expiresAt - MINUTE)
    expect(due).toBeGreaterThanOrEqual(expiresAt - MINUTE - 15_000)
    await clock.advance(due - start - 1)
    expect(refreshed).toEqual([])
    await clock.advance(1)
    expect(refreshed).toEqual([{ id: 'acct', at: due }])
    scheduler.dispose()
  })

  it('moves its one timer earlier when an account with an earlier deadline arrives', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock, { maxTimerMs: 24 * HOUR })
    const start = clock.now()
    scheduler.track('late', start + 10 * HOUR, start)
    scheduler.track('soon', start + 5 * MINUTE, start)
    expect(clock.pendingTimers).toBe(1)
    const due = scheduler.dueAt('soon') ?? Number.NaN
    await clock.advance(due - start)
    expect(refreshed).toEqual([{ id: 'soon', at: due }])
    scheduler.dispose()
  })

  it('notices a clock jump within maxTimerMs without being told', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock, { maxTimerMs: 30_000 })
    scheduler.track('a', clock.now() + 2 * HOUR, clock.now())
    scheduler.track('b', clock.now() + 3 * HOUR, clock.now())
    scheduler.track('later', clock.now() + 50 * HOUR, clock.now())
    clock.jump(4 * HOUR)
    await clock.advance(30_000)
    expect(refreshed.map((entry) => entry.id).sort()).toEqual(['a', 'b'])
    scheduler.dispose()
  })

  it('catchUp() refreshes overdue accounts at once, without waiting for the timer', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock)
    scheduler.track('a', clock.now() + 2 * HOUR, clock.now())
    scheduler.track('later', clock.now() + 50 * HOUR, clock.now())
    clock.jump(4 * HOUR)
    const jumpedTo = clock.now()
    scheduler.catchUp()
    await clock.advance(0)
    expect(refreshed).toEqual([{ id: 'a', at: jumpedTo }])
    scheduler.dispose()
  })

  it('keeps 10,000 accounts on one timer and refreshes them in deadline order', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock, { random: seeded(42) })
    const start = clock.now()
    const lifetimes = seeded(7)
    for (let i = 0; i < 10_000; i++) {
      scheduler.track(`acct-${i}`, start + HOUR + Math.floor(lifetimes() * 10 * HOUR), start)
      expect(clock.pendingTimers).toBe(1)
    }
    expect(scheduler.size).toBe(10_000)
    const dueTimes = new Map(Array.from({ length: 10_000 }, (_, i) => [`acct-${i}`, scheduler.dueAt(`acct-${i}`) ?? 0]))
    const expectedOrder = [...dueTimes.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id)

    await clock.advance(11 * HOUR)
    expect(clock.pendingTimers).toBe(1)
    expect(refreshed).toHaveLength(10_000)
    expect(refreshed.map((entry) => entry.id)).toEqual(expectedOrder)
    for (const entry of refreshed) expect(entry.at).toBe(dueTimes.get(entry.id))
    scheduler.dispose()
    expect(clock.pendingTimers).toBe(0)
  })

  it('clamps the delay for an expiry 100 years away: no overflow, wakes within maxTimerMs', async () => {
    const clock = new FakeClock()
    const { scheduler, refreshed } = recorder(clock, { maxTimerMs: 60_000 })
    scheduler.track('acct', clock.now() + 100 * 365 * 24 * HOUR, clock.now())
    expect(clock.overflows).toBe(0)
    expect(clock.nextTimerIn).toBeLessThanOrEqual(60_000)
    await clock.advance(10 * MINUTE)
    expect(refreshed).toEqual([])
    expect(clock.pendingTimers).toBe(1)
    expect(clock.nextTimerIn).toBeLessThanOrEqual(60_000)
    scheduler.dispose()
  })

  it('clamps below 2^31 − 1 ms even when maxTimerMs is larger', () => {
    const clock = new FakeClock()
    const { scheduler } = recorder(clock, { maxTimerMs: Number.MAX_SAFE_INTEGER })
    scheduler.track('acct', clock.now() + 100 * 365 * 24 * HOUR, clock.now())
    expect(clock.overflows).toBe(0)
    expect(clock.nextTimerIn).toBeLessThanOrEqual(2 ** 31 - 1)
    scheduler.dispose()
  })
})
