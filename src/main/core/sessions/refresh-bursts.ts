/**
 * Tells when a burst of renewals is over: at least `size` of them with no pause of `quietMs`
 * between them, and then such a pause. Many accounts due at once (a start or a wake after their
 * tokens ran out) renew one after the other as fast as their servers answer; each renewal's
 * short-lived objects pile up, and the memory they took stays with the process after they are gone
 * unless something gives it back (the shells do, see garbage-release.ts). A steady trickle, with
 * pauses, is no burst: each pause starts the count again.
 *
 * Constant cost per renewal (a count and the time); one timer at a time, and only while renewals come.
 */
import type { Clock, TimerHandle } from '../ports.ts'

export interface RefreshBurstsOptions {
  clock: Clock
  /** Renewals without a pause that make a burst. */
  size: number
  /** How long without a renewal is a pause. */
  quietMs: number
  /** Called once per burst, after its pause. */
  over: () => void
}

export class RefreshBursts {
  readonly #options: RefreshBurstsOptions
  /** Renewals since the last pause. */
  #count = 0
  /** When the last renewal started (clock time). */
  #last = 0
  #timer: TimerHandle | null = null

  constructor(options: RefreshBurstsOptions) {
    this.#options = options
  }

  /** One renewal started. */
  renewal(): void {
    this.#count += 1
    this.#last = this.#options.clock.now()
    if (this.#timer === null) this.#wait(this.#options.quietMs)
  }

  dispose(): void {
    if (this.#timer !== null) this.#options.clock.clearTimeout(this.#timer)
    this.#timer = null
    this.#count = 0
  }

  /** Waits out a pause: `ms` from now, then again for what is left of one if a renewal came meanwhile. */
  #wait(ms: number): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = null
      const left = this.#last + this.#options.quietMs - this.#options.clock.now()
      if (left > 0) {
        this.#wait(left)
        return
      }
      const burst = this.#count >= this.#options.size
      this.#count = 0
      if (burst) this.#options.over()
    }, ms)
  }
}
