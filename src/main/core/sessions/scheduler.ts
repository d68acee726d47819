/**
 * The one refresh scheduler for every account: a single timer armed for the earliest deadline,
 * single-flight refreshes per account, exponential backoff on transient failures, and no more
 * retries once a refresh is rejected. The timer never waits longer than `maxTimerMs`, so a wall
 * clock that jumped (sleep, resume, a clock change) is noticed within that time even without
 * `catchUp()`.
 */
import { AppError, TransientError } from '../errors.ts'
import type { Clock, TimerHandle } from '../ports.ts'
import { IndexedMinHeap } from './min-heap.ts'
import { backoffDelay, refreshDueAt, retryDueAt, type BackoffPolicy } from './refresh-plan.ts'
import { clampDelay, MAX_TIMER_DELAY_MS } from './timer-delay.ts'

export interface RefreshOutcome {
  expiresAt: number | null
  issuedAt: number
}

export interface RefreshSchedulerOptions {
  clock: Clock
  random?: () => number
  /** Performs the refresh (provider call, persist, publish) and returns the new expiry. */
  refresh(id: string): Promise<RefreshOutcome>
  /**
   * A transient failure (TransientError, or any AppError dated with `retryAt` by a rate-limiting
   * server): it will be retried at retryAt, which is never before the server's time.
   */
  onRetry?(id: string, error: unknown, retryAt: number, attempt: number): void
  /** A rejected refresh (RefreshRejectedError) or any other non-transient error: the account is no longer scheduled. */
  onGiveUp?(id: string, error: unknown): void
  /** Default 5 s, doubling up to 5 min. */
  backoff?: BackoffPolicy
  /** The longest the timer waits before looking at the wall clock again. Default 60 s. */
  maxTimerMs?: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 }
export const DEFAULT_MAX_TIMER_MS = 60_000

/** One tracking of an account; replaced when the account is untracked and tracked again. */
interface Tracking {
  /** Failed attempts in a row (reset by a success or a fresh `track`). */
  attempt: number
}

export class RefreshScheduler {
  readonly #clock: Clock
  readonly #random: () => number
  readonly #options: RefreshSchedulerOptions
  readonly #backoff: BackoffPolicy
  readonly #maxTimerMs: number
  readonly #tracked = new Map<string, Tracking>()
  readonly #deadlines = new IndexedMinHeap()
  readonly #inFlight = new Map<string, Promise<void>>()
  #timer: TimerHandle | null = null
  /** The deadline the timer was armed for. */
  #armedFor = 0
  #disposed = false

  constructor(options: RefreshSchedulerOptions) {
    this.#options = options
    this.#clock = options.clock
    this.#random = options.random ?? Math.random
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF
    const max = options.maxTimerMs ?? DEFAULT_MAX_TIMER_MS
    if (!(max >= 1)) throw new RangeError('maxTimerMs must be at least 1 ms')
    this.#maxTimerMs = Math.min(max, MAX_TIMER_DELAY_MS)
  }

  /** Accounts being kept fresh (including those refreshing right now). */
  get size(): number {
    return this.#tracked.size
  }

  /**
   * (Re)schedules an account from its token's expiry; null expiry means nothing to schedule
   * (untracks). `notBefore`: a time the server said not to come back before (a rate limit).
   */
  track(id: string, expiresAt: number | null, issuedAt: number, notBefore?: number): void {
    if (this.#disposed) return
    if (expiresAt === null) {
      this.untrack(id)
      return
    }
    const tracking = this.#tracked.get(id)
    if (tracking) tracking.attempt = 0
    else this.#tracked.set(id, { attempt: 0 })
    this.#deadlines.set(id, Math.max(refreshDueAt(expiresAt, issuedAt, this.#random), notBefore ?? 0))
    this.#arm()
  }

  /** Stops scheduling an account. A refresh in flight finishes, but its outcome schedules nothing. */
  untrack(id: string): void {
    this.#tracked.delete(id)
    if (this.#deadlines.delete(id)) this.#arm()
  }

  /**
   * Refreshes now, single-flight: callers during a refresh share it and its outcome. Rejects with
   * the refresh's error. An account that was not tracked is tracked from here on.
   */
  refreshNow(id: string): Promise<void> {
    const flight = this.#inFlight.get(id) ?? this.#launch(id)
    this.#arm()
    return flight
  }

  /** Resolves once the account's refresh in flight (if any) has finished, whatever its outcome. */
  settled(id: string): Promise<void> {
    return (this.#inFlight.get(id) ?? Promise.resolve()).then(ignore, ignore)
  }

  /** After resume from sleep or a clock jump: refreshes every overdue account now. */
  catchUp(): void {
    this.#runDue()
  }

  /** When the account's next refresh (or retry) is due; undefined while it refreshes or when untracked. */
  dueAt(id: string): number | undefined {
    return this.#deadlines.get(id)
  }

  /** Clears the timer and forgets every account; refreshes in flight finish but schedule nothing. */
  dispose(): void {
    this.#disposed = true
    this.#disarm()
    this.#tracked.clear()
    this.#deadlines.clear()
  }

  #runDue(): void {
    const now = this.#clock.now()
    const due: string[] = []
    for (let top = this.#deadlines.peek(); top && top.key <= now; top = this.#deadlines.peek()) {
      this.#deadlines.pop()
      due.push(top.id)
    }
    // An account already refreshing is left to that refresh, whose outcome reschedules it.
    for (const id of due) if (!this.#inFlight.has(id)) this.#launch(id).catch(ignore)
    this.#arm()
  }

  #launch(id: string): Promise<void> {
    let tracking = this.#tracked.get(id)
    if (!tracking) {
      tracking = { attempt: 0 }
      if (!this.#disposed) this.#tracked.set(id, tracking)
    }
    this.#deadlines.delete(id)
    const flight = this.#perform(id, tracking)
    this.#inFlight.set(id, flight)
    return flight
  }

  async #perform(id: string, tracking: Tracking): Promise<void> {
    let outcome: RefreshOutcome
    try {
      // Called from a reaction, so the flight is registered before the refresh can look at us.
      outcome = await Promise.resolve(id).then((key) => this.#options.refresh(key))
    } catch (error) {
      this.#inFlight.delete(id)
      if (this.#isCurrent(id, tracking)) this.#failed(id, tracking, error)
      throw error
    }
    this.#inFlight.delete(id)
    if (!this.#isCurrent(id, tracking)) return
    this.track(id, outcome.expiresAt, outcome.issuedAt)
  }

  /** False when the account was untracked (and perhaps tracked again) while its refresh ran. */
  #isCurrent(id: string, tracking: Tracking): boolean {
    const current = this.#tracked.get(id)
    if (current === tracking) return true
    // Tracked afresh during the flight and dropped from the heap when it fell due: due now.
    if (current && !this.#deadlines.has(id)) {
      this.#deadlines.set(id, this.#clock.now())
      this.#arm()
    }
    return false
  }

  #failed(id: string, tracking: Tracking, error: unknown): void {
    if (error instanceof TransientError || (error instanceof AppError && error.retryAt !== undefined)) {
      tracking.attempt += 1
      const delay = backoffDelay(tracking.attempt, this.#backoff, this.#random)
      const retryAt = retryDueAt(this.#clock.now(), delay, error.retryAt, this.#random)
      this.#deadlines.set(id, retryAt)
      this.#arm()
      notify(() => this.#options.onRetry?.(id, error, retryAt, tracking.attempt))
      return
    }
    this.untrack(id)
    notify(() => this.#options.onGiveUp?.(id, error))
  }

  /** Keeps exactly one timer, armed for the earliest deadline (or none when nothing is scheduled). */
  #arm(): void {
    if (this.#disposed) return
    const next = this.#deadlines.peekKey()
    if (next === undefined) {
      this.#disarm()
      return
    }
    if (this.#timer !== null && this.#armedFor === next) return
    this.#disarm()
    const delay = clampDelay(next - this.#clock.now(), this.#maxTimerMs)
    this.#armedFor = next
    this.#timer = this.#clock.setTimeout(this.#fire, delay)
  }

  #disarm(): void {
    if (this.#timer === null) return
    this.#clock.clearTimeout(this.#timer)
    this.#timer = null
  }

  readonly #fire = (): void => {
    this.#timer = null
    this.#runDue()
  }
}

/** A throwing callback is a bug in the caller: surface it without corrupting the schedule. */
function notify(callback: () => void): void {
  try {
    callback()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}

function ignore(): void {}
