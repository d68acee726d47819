import { describe, expect, it } from 'vitest'
import { TransientError } from '../errors.ts'
import { FakeClock } from '../testing/fake-clock.ts'
import { RefreshScheduler, type RefreshOutcome } from './scheduler.ts'

const HOUR = 3_600_000
const MINUTE = 60_000

/** A scheduler whose refreshes stay open until the test ends them, with a record of what ran. */
function pacedScheduler(options: { perLane: number; laneOf?: (id: string) => string }) {
  const clock = new FakeClock()
  const open = new Map<string, { resolve: (outcome: RefreshOutcome) => void; reject: (error: Error) => void }>()
  const started: string[] = []
  let running = 0
  let mostAtOnce = 0
  const scheduler = new RefreshScheduler({
    clock,
    random: () => 0.5,
    perLane: options.perLane,
    ...(options.laneOf ? { laneOf: options.laneOf } : {}),
    refresh: (id) => {
      started.push(id)
      running += 1
      mostAtOnce = Math.max(mostAtOnce, running)
      return new Promise<RefreshOutcome>((resolve, reject) => {
        const end = (): void => {
          running -= 1
          open.delete(id)
        }
        open.set(id, {
          resolve: (outcome) => {
            end()
            resolve(outcome)
          },
          reject: (error: Error) => {
            end()
            reject(error)
          },
        })
      })
    },
  })
  /** Ends the open refresh of `id` with a fresh hour-long token, and lets the scheduler react. */
  const finish = async (id: string): Promise<void> => {
    open.get(id)!.resolve({ expiresAt: clock.now() + HOUR, issuedAt: clock.now() })
    await clock.advance(0)
  }
  return { clock, scheduler, open, started, finish, mostAtOnce: () => mostAtOnce }
}

/** Tracks accounts whose tokens all expire in five minutes: all due together in a few minutes. */
function trackDueTogether(scheduler: RefreshScheduler, clock: FakeClock, ids: readonly string[]): void {
  for (const id of ids) scheduler.track(id, clock.now() + 5 * MINUTE, clock.now() - HOUR)
}

const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`)

describe('RefreshScheduler: renewals due together are paced per lane', () => {
  it('runs at most perLane of them at once, starts the next as each ends, and renews every account exactly once', async () => {
    const { clock, scheduler, open, started, finish, mostAtOnce } = pacedScheduler({ perLane: 3 })
    const ids = names('acct', 20)
    trackDueTogether(scheduler, clock, ids)
    await clock.advance(10 * MINUTE)
    expect(open.size).toBe(3)
    expect(scheduler.waiting).toBe(17)
    while (open.size > 0) await finish([...open.keys()][0]!)
    expect(mostAtOnce()).toBe(3)
    expect([...started].sort()).toEqual(ids)
    expect(scheduler.waiting).toBe(0)
    for (const id of ids) expect(scheduler.dueAt(id)).toBeGreaterThan(clock.now())
    scheduler.dispose()
  })

  it('keeps each lane to itself: a server that hangs does not hold up the renewals of another', async () => {
    const { clock, scheduler, open, started, finish } = pacedScheduler({ perLane: 2, laneOf: (id) => id.slice(0, 4) })
    const slow = names('slow', 5)
    const fast = names('fast', 5)
    trackDueTogether(scheduler, clock, [...slow, ...fast])
    await clock.advance(10 * MINUTE)
    for (let i = 0; i < 20 && [...open.keys()].some((id) => id.startsWith('fast')); i++) {
      await finish([...open.keys()].find((id) => id.startsWith('fast'))!)
    }
    expect(started.filter((id) => id.startsWith('fast')).sort()).toEqual(fast)
    expect([...open.keys()].sort()).toEqual(slow.slice(0, 2))
    expect(scheduler.waiting).toBe(3)
    scheduler.dispose()
  })

  it('starts a waiting account at once when its refresh is asked for, and does not renew it again when its turn comes', async () => {
    const { clock, scheduler, open, started, finish } = pacedScheduler({ perLane: 1 })
    trackDueTogether(scheduler, clock, ['a', 'b', 'c'])
    await clock.advance(10 * MINUTE)
    expect([...open.keys()]).toEqual(['a'])
    const asked = scheduler.refreshNow('c')
    await clock.advance(0)
    expect([...open.keys()].sort()).toEqual(['a', 'c'])
    await finish('c')
    await asked
    await finish('a')
    await finish('b')
    expect(started).toEqual(['a', 'c', 'b'])
    scheduler.dispose()
  })

  it('forgets a waiting account that is untracked, and reschedules one tracked afresh while it waited', async () => {
    const { clock, scheduler, open, started, finish } = pacedScheduler({ perLane: 1 })
    trackDueTogether(scheduler, clock, ['a', 'b', 'c'])
    await clock.advance(10 * MINUTE)
    const fellDue = scheduler.dueAt('b')!
    expect(fellDue).toBeLessThanOrEqual(clock.now())
    scheduler.untrack('b')
    expect(scheduler.dueAt('b')).toBeUndefined()
    scheduler.track('c', clock.now() + 2 * HOUR, clock.now())
    await finish('a')
    expect(open.size).toBe(0)
    expect(started).toEqual(['a'])
    expect(scheduler.dueAt('c')).toBeGreaterThan(clock.now() + HOUR)
    scheduler.dispose()
  })

  it('gives the place of a failed renewal to the next one waiting, and retries the failed one later', async () => {
    const { clock, scheduler, open, started } = pacedScheduler({ perLane: 1 })
    trackDueTogether(scheduler, clock, ['a', 'b'])
    await clock.advance(10 * MINUTE)
    open.get('a')!.reject(new TransientError('The server could not be reached.'))
    await clock.advance(0)
    expect([...open.keys()]).toEqual(['b'])
    expect(scheduler.dueAt('a')).toBeGreaterThan(clock.now())
    expect(started).toEqual(['a', 'b'])
    scheduler.dispose()
  })

  it('refuses a lane size below 1', () => {
    expect(() => new RefreshScheduler({ clock: new FakeClock(), refresh: () => Promise.reject(new Error('unused')), perLane: 0 })).toThrow(RangeError)
  })
})
