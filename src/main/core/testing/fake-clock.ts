/**
 * A hand-driven `Clock` for tests. Wall time (`now()`) and timer time move together on
 * `advance`, like a running machine; `jump` moves only the wall time, like a laptop waking from
 * sleep or the system clock being set: pending timers still wait out their remaining delay.
 * Delays follow Node's rules: below 1 ms or above 2^31−1 ms they become 1 ms (Node also warns
 * about the latter; `overflows` counts such calls so a test can assert there were none).
 *
 * `advance` settles pending promises with `setImmediate`, so do not combine it with Vitest's
 * fake timers.
 */
import type { Clock, TimerHandle } from '../ports.ts'
import { IndexedMinHeap } from '../sessions/min-heap.ts'
import { MAX_TIMER_DELAY_MS } from '../sessions/timer-delay.ts'

/** A fixed default start: 2030-01-01T00:00:00Z. */
export const FAKE_CLOCK_START = Date.UTC(2030, 0, 1)

export class FakeClock implements Clock {
  #wall: number
  /** Time as timers see it: only `advance` moves it. */
  #elapsed = 0
  #nextId = 1
  #overflows = 0
  readonly #due = new IndexedMinHeap()
  readonly #callbacks = new Map<string, () => void>()

  constructor(start: number = FAKE_CLOCK_START) {
    this.#wall = start
  }

  now(): number {
    return this.#wall
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    if (ms > MAX_TIMER_DELAY_MS) this.#overflows++
    const delay = ms >= 1 && ms <= MAX_TIMER_DELAY_MS ? ms : 1
    const id = String(this.#nextId++)
    this.#callbacks.set(id, callback)
    this.#due.set(id, this.#elapsed + delay)
    return id as unknown as TimerHandle
  }

  clearTimeout(handle: TimerHandle): void {
    const id = handle as unknown as string
    this.#callbacks.delete(id)
    this.#due.delete(id)
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.#callbacks.size
  }

  /** Milliseconds until the earliest pending timer fires, or null when none is pending. */
  get nextTimerIn(): number | null {
    const top = this.#due.peek()
    return top === undefined ? null : top.key - this.#elapsed
  }

  /** How many `setTimeout` calls asked for more than 2^31−1 ms (Node would have fired them after 1 ms). */
  get overflows(): number {
    return this.#overflows
  }

  /**
   * Lets `ms` pass: fires every timer that falls due, earliest first (equal times in the order
   * they were set), with the clock reading each timer's own time while it runs, and lets pending
   * promises settle before and after each one. Timers set by a callback fire too if they fall due.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance() needs a non-negative duration, got ${ms}`)
    const target = this.#elapsed + ms
    await settle()
    for (;;) {
      const top = this.#due.peek()
      if (top === undefined || top.key > target) break
      this.#due.delete(top.id)
      const callback = this.#callbacks.get(top.id)
      this.#callbacks.delete(top.id)
      this.#moveTo(top.key)
      callback?.()
      await settle()
    }
    this.#moveTo(target)
    await settle()
  }

  /** Moves the wall clock by `ms` (negative to go back) without firing or shortening any timer. */
  jump(ms: number): void {
    this.#wall += ms
  }

  #moveTo(elapsed: number): void {
    if (elapsed <= this.#elapsed) return
    this.#wall += elapsed - this.#elapsed
    this.#elapsed = elapsed
  }
}

/** Lets every queued promise reaction (and anything they queue in turn) run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => setImmediate(resolve))
}
