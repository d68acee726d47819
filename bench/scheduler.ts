/**
 * Refresh scheduler benchmark: the real `RefreshScheduler` on the system clock (refreshes never
 * fall due during the run), against a naive design with one `setTimeout` per account. Prints
 * figures; asserts nothing. Run alone with `node --expose-gc bench/scheduler.ts`.
 */
import { performance } from 'node:perf_hooks'
import { systemClock, type Clock, type TimerHandle } from '../src/main/core/ports.ts'
import { refreshDueAt } from '../src/main/core/sessions/refresh-plan.ts'
import { RefreshScheduler } from '../src/main/core/sessions/scheduler.ts'
import { clampDelay } from '../src/main/core/sessions/timer-delay.ts'

const HOUR = 3_600_000
const TRACKED = 10_000
const RESCHEDULE_SIZES = [1_000, 10_000, 100_000]
const RESCHEDULE_OPS = 200_000

interface Tracker {
  track(id: string, expiresAt: number, issuedAt: number): void
  dispose(): void
  readonly timers: number
}

/** The system clock, counting the timers it holds so the table can show them. */
function countingClock(): Clock & { readonly pending: number } {
  const live = new Set<TimerHandle>()
  return {
    now: () => systemClock.now(),
    setTimeout(callback, ms) {
      const handle: TimerHandle = systemClock.setTimeout(() => {
        live.delete(handle)
        callback()
      }, ms)
      live.add(handle)
      return handle
    },
    clearTimeout(handle) {
      live.delete(handle)
      systemClock.clearTimeout(handle)
    },
    get pending() {
      return live.size
    },
  }
}

function oneTimer(): Tracker {
  const clock = countingClock()
  const scheduler = new RefreshScheduler({ clock, refresh: () => Promise.resolve({ expiresAt: null, issuedAt: clock.now() }) })
  return { track: (id, exp, iat) => scheduler.track(id, exp, iat), dispose: () => scheduler.dispose(), get timers() { return clock.pending } }
}

/** The baseline: one timer per account, replaced on every reschedule. */
function timerEach(): Tracker {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  return {
    track(id, expiresAt, issuedAt) {
      const old = timers.get(id)
      if (old !== undefined) clearTimeout(old)
      const delay = clampDelay(refreshDueAt(expiresAt, issuedAt) - Date.now(), 60_000)
      timers.set(id, setTimeout(() => timers.delete(id), delay))
    },
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
    get timers() {
      return timers.size
    },
  }
}

/** Lets the event loop run between phases. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function heapUsed(): number {
  globalThis.gc?.()
  globalThis.gc?.()
  return process.memoryUsage().heapUsed
}

/** Expiries between 1 h and 11 h from now, so nothing falls due while we measure. */
function expiries(count: number): Float64Array {
  const now = Date.now()
  return Float64Array.from({ length: count }, (_, i) => now + HOUR + ((i * 7_919) % count) * (10 * HOUR / count))
}

function trackAll(make: () => Tracker, ids: string[], at: Float64Array): { tracker: Tracker; ms: number } {
  const tracker = make()
  const now = Date.now()
  const start = performance.now()
  for (let i = 0; i < ids.length; i++) tracker.track(ids[i] as string, at[i] as number, now)
  return { tracker, ms: performance.now() - start }
}

/** Best of a few rounds for time; memory measured on a separate round with collection around it. */
function measureTracking(make: () => Tracker, ids: string[], at: Float64Array) {
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 5; round++) {
    heapUsed()
    const { tracker, ms } = trackAll(make, ids, at)
    tracker.dispose()
    best = Math.min(best, ms)
  }
  const before = heapUsed()
  const { tracker } = trackAll(make, ids, at)
  const bytes = heapUsed() - before
  const timers = tracker.timers
  tracker.dispose()
  return { nsPerAccount: (best * 1e6) / ids.length, bytesPerAccount: bytes / ids.length, timers }
}

function measureReschedule(make: () => Tracker, count: number): number {
  const ids = Array.from({ length: count }, (_, i) => `account-${i}`)
  const { tracker } = trackAll(make, ids, expiries(count))
  const fresh = expiries(4_096)
  const now = Date.now()
  const run = (ops: number): number => {
    heapUsed() // collect first, so one run does not pay for the garbage of another
    const start = performance.now()
    for (let i = 0; i < ops; i++) tracker.track(ids[(i * 7_919) % count] as string, fresh[i & 4_095] as number, now)
    return performance.now() - start
  }
  run(RESCHEDULE_OPS / 10)
  const ms = Math.min(run(RESCHEDULE_OPS), run(RESCHEDULE_OPS), run(RESCHEDULE_OPS))
  tracker.dispose()
  return (ms * 1e6) / RESCHEDULE_OPS
}

const fmt = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const row = (cells: string[], widths: number[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 12)).join('  ')

export async function benchScheduler(): Promise<void> {
  const ids = Array.from({ length: TRACKED }, (_, i) => `account-${i}`)
  const at = expiries(TRACKED)
  const heap = measureTracking(oneTimer, ids, at)
  await nextTurn()
  const each = measureTracking(timerEach, ids, at)
  const widths = [28, 18, 18, 14]
  console.log(`\nRefresh scheduler: track ${fmt(TRACKED)} accounts (system clock${globalThis.gc ? '' : '; run with --expose-gc for steadier memory figures'})`)
  console.log(row(['', 'one timer (heap)', 'timer per account', 'timer each ÷ heap'], widths))
  console.log(row(['track, ns per account', fmt(heap.nsPerAccount), fmt(each.nsPerAccount), `${fmt(each.nsPerAccount / heap.nsPerAccount, 2)}×`], widths))
  console.log(row(['heap, bytes per account', fmt(heap.bytesPerAccount), fmt(each.bytesPerAccount), `${fmt(each.bytesPerAccount / heap.bytesPerAccount, 2)}×`], widths))
  console.log(row(['timers pending', fmt(heap.timers), fmt(each.timers), ''], widths))

  const costs: Array<{ count: number; heap: number; each: number }> = []
  for (const count of RESCHEDULE_SIZES) {
    await nextTurn()
    costs.push({ count, heap: measureReschedule(oneTimer, count), each: measureReschedule(timerEach, count) })
  }
  const base = costs[0]?.heap ?? Number.NaN
  console.log(`\nReschedule: one track with a new expiry (${fmt(RESCHEDULE_OPS)} ops per size)`)
  console.log(row(['accounts', 'one timer ns/op', 'vs 1k', 'timer per account ns/op'], [12, 16, 8, 24]))
  for (const cost of costs) {
    console.log(row([fmt(cost.count), fmt(cost.heap), `${fmt(cost.heap / base, 2)}×`, fmt(cost.each)], [12, 16, 8, 24]))
  }
}

if (import.meta.main) await benchScheduler()
