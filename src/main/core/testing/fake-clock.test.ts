import { describe, expect, it } from 'vitest'
import { FakeClock } from './fake-clock.ts'

describe('FakeClock', () => {
  it('fires due timers in time order, reading each timer’s own time', async () => {
    const clock = new FakeClock(1_000)
    const fired: Array<[string, number]> = []
    clock.setTimeout(() => fired.push(['late', clock.now()]), 300)
    clock.setTimeout(() => fired.push(['early', clock.now()]), 100)
    clock.setTimeout(() => fired.push(['never', clock.now()]), 10_000)
    expect(clock.pendingTimers).toBe(3)
    await clock.advance(500)
    expect(fired).toEqual([
      ['early', 1_100],
      ['late', 1_300],
    ])
    expect(clock.now()).toBe(1_500)
    expect(clock.pendingTimers).toBe(1)
    expect(clock.nextTimerIn).toBe(9_500)
  })

  it('lets promises settle between timers and fires timers set by a callback', async () => {
    const clock = new FakeClock(0)
    const seen: string[] = []
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => {
          seen.push('settled')
          clock.setTimeout(() => seen.push('chained'), 50)
        })
    }, 10)
    clock.setTimeout(() => seen.push('second'), 20)
    await clock.advance(100)
    expect(seen).toEqual(['settled', 'second', 'chained'])
  })

  it('cancels timers', async () => {
    const clock = new FakeClock(0)
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 10)
    clock.clearTimeout(handle)
    await clock.advance(100)
    expect(fired).toBe(false)
    expect(clock.pendingTimers).toBe(0)
    expect(clock.nextTimerIn).toBeNull()
  })

  it('jump moves the wall clock without firing or shortening timers', async () => {
    const clock = new FakeClock(0)
    let firedAt: number | null = null
    clock.setTimeout(() => (firedAt = clock.now()), 1_000)
    clock.jump(3_600_000)
    await clock.advance(999)
    expect(firedAt).toBeNull()
    await clock.advance(1)
    expect(firedAt).toBe(3_601_000)
  })

  it('treats out-of-range delays like Node does and counts overflows', async () => {
    const clock = new FakeClock(0)
    let fired = 0
    clock.setTimeout(() => fired++, 2 ** 31)
    clock.setTimeout(() => fired++, -5)
    expect(clock.overflows).toBe(1)
    await clock.advance(1)
    expect(fired).toBe(2)
  })
})
