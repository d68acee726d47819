import { describe, expect, it } from 'vitest'
import { FakeClock } from '../testing/fake-clock.ts'
import { RefreshBursts } from './refresh-bursts.ts'

function watched(size = 5, quietMs = 2000) {
  const clock = new FakeClock()
  let over = 0
  const bursts = new RefreshBursts({ clock, size, quietMs, over: () => (over += 1) })
  return { clock, bursts, over: () => over }
}

describe('RefreshBursts', () => {
  it('calls once after a burst, when its pause has passed, and not before', async () => {
    const w = watched()
    for (let i = 0; i < 5; i++) {
      w.bursts.renewal()
      await w.clock.advance(1500)
    }
    expect(w.over()).toBe(0)
    await w.clock.advance(499)
    expect(w.over()).toBe(0)
    await w.clock.advance(1)
    expect(w.over()).toBe(1)
    // Nothing else comes: no timer is left, and nothing more is called.
    expect(w.clock.pendingTimers).toBe(0)
    await w.clock.advance(60_000)
    expect(w.over()).toBe(1)
  })

  it('never calls for a trickle: each pause starts the count again', async () => {
    const w = watched()
    for (let i = 0; i < 20; i++) {
      w.bursts.renewal()
      w.bursts.renewal()
      await w.clock.advance(2500)
    }
    expect(w.over()).toBe(0)
  })

  it('calls again for a second burst after a first, and not after dispose', async () => {
    const w = watched(3)
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) w.bursts.renewal()
      await w.clock.advance(2000)
    }
    expect(w.over()).toBe(2)
    for (let i = 0; i < 3; i++) w.bursts.renewal()
    w.bursts.dispose()
    expect(w.clock.pendingTimers).toBe(0)
    await w.clock.advance(5000)
    expect(w.over()).toBe(2)
  })
})
