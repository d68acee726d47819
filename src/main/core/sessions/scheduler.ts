/**
 * The one refresh scheduler for every account: a single timer armed for the earliest deadline,
 * single-flight refreshes per account, exponential backoff on transient failures, and no more
 * retries once a refresh is rejected. The timer never waits longer than `maxTimerMs`, so a wall
 * clock that jumped (sleep, resume, a clock change) is noticed within that time even without
 * `catchUp()`.
 *
 * Renewals the timer starts are paced per lane (accounts on one server): at most `perLane` of them
 * run at once, and the others wait their turn in the order they fell due. After a wake from sleep
 * every account can be due together, and 10,000 at once meant 10,000 connections opened to one
 * server within a second, about 420 MiB of resident memory in the browser shell while they ran,
 * instead of about 240 paced eight at a time, and no slower in all (the server is the bottleneck).
 * A refresh asked for (`refreshNow`: a token a person or a tool needs) never waits.
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
  /** The lane an account's renewals queue in (its server). Default: one lane for every account. */
  laneOf?: (id: string) => string
  /** The most renewals the timer runs at once in one lane. Default 8. */
  perLane?: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 }
export const DEFAULT_MAX_TIMER_MS = 60_000
export const DEFAULT_PER_LANE = 8

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
  readonly #laneOf: (id: string) => string
  readonly #perLane: number
  /** Refreshes running now, per lane. */
  readonly #running = new Map<string, number>()
  /** Accounts due and waiting for a free place in their lane: lane → (id → when it fell due), in that order. */
  readonly #waiting = new Map<string, Map<string, number>>()
  readonly #waitingLane = new Map<string, string>()
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
    this.#laneOf = options.laneOf ?? (() => '')
    this.#perLane = options.perLane ?? DEFAULT_PER_LANE
    if (!(this.#perLane >= 1)) throw new RangeError('perLane must be at least 1')
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
    this.#stopWaiting(id)
    const tracking = this.#tracked.get(id)
    if (tracking) tracking.attempt = 0
    else this.#tracked.set(id, { attempt: 0 })
    this.#deadlines.set(id, Math.max(refreshDueAt(expiresAt, issuedAt, this.#random), notBefore ?? 0))
    this.#arm()
  }

  /** Stops scheduling an account. A refresh in flight finishes, but its outcome schedules nothing. */
  untrack(id: string): void {
    this.#tracked.delete(id)
    this.#stopWaiting(id)
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

  /**
   * When the account's next refresh (or retry) is due (for one waiting its turn, when it fell due);
   * undefined while it refreshes or when untracked.
   */
  dueAt(id: string): number | undefined {
    const lane = this.#waitingLane.get(id)
    return lane === undefined ? this.#deadlines.get(id) : this.#waiting.get(lane)?.get(id)
  }

  /** Accounts due and waiting for a free place in their lane. */
  get waiting(): number {
    return this.#waitingLane.size
  }

  /** Clears the timer and forgets every account; refreshes in flight finish but schedule nothing. */
  dispose(): void {
    this.#disposed = true
    this.#disarm()
    this.#tracked.clear()
    this.#deadlines.clear()
    this.#waiting.clear()
    this.#waitingLane.clear()
  }

  #runDue(): void {
    const now = this.#clock.now()
    const due: { id: string; at: number }[] = []
    for (let top = this.#deadlines.peek(); top && top.key <= now; top = this.#deadlines.peek()) {
      this.#deadlines.pop()
      due.push({ id: top.id, at: top.key })
    }
    // An account already refreshing is left to that refresh, whose outcome reschedules it.
    for (const { id, at } of due) if (!this.#inFlight.has(id)) this.#admit(id, at)
    this.#arm()
  }

  /** Starts a due renewal now if its lane has room, or queues it behind the others due there. */
  #admit(id: string, dueAt: number): void {
    const lane = this.#laneOf(id)
    if ((this.#running.get(lane) ?? 0) < this.#perLane) {
      this.#launch(id, lane).catch(ignore)
      return
    }
    let queue = this.#waiting.get(lane)
    if (!queue) this.#waiting.set(lane, (queue = new Map<string, number>()))
    queue.set(id, dueAt)
    this.#waitingLane.set(id, lane)
  }

  /** A place in the lane came free: the longest-waiting renewals there start. */
  #admitWaiting(lane: string): void {
    const queue = this.#waiting.get(lane)
    if (!queue) return
    for (const id of queue.keys()) {
      if ((this.#running.get(lane) ?? 0) >= this.#perLane) return
      this.#stopWaiting(id)
      this.#launch(id, lane).catch(ignore)
    }
  }

  #stopWaiting(id: string): void {
    const lane = this.#waitingLane.get(id)
    if (lane === undefined) return
    this.#waitingLane.delete(id)
    const queue = this.#waiting.get(lane)
    queue?.delete(id)
    if (queue?.size === 0) this.#waiting.delete(lane)
  }

  #launch(id: string, lane: string = this.#laneOf(id)): Promise<void> {
    this.#stopWaiting(id)
    let tracking = this.#tracked.get(id)
    if (!tracking) {
      tracking = { attempt: 0 }
      if (!this.#disposed) this.#tracked.set(id, tracking)
    }
    this.#deadlines.delete(id)
    this.#running.set(lane, (this.#running.get(lane) ?? 0) + 1)
    const flight = this.#perform(id, tracking, lane)
    this.#inFlight.set(id, flight)
    return flight
  }

  async #perform(id: string, tracking: Tracking, lane: string): Promise<void> {
    let outcome: RefreshOutcome
    try {
      // Called from a reaction, so the flight is registered before the refresh can look at us.
      outcome = await Promise.resolve(id).then((key) => this.#options.refresh(key))
    } catch (error) {
      this.#landed(id, lane)
      if (this.#isCurrent(id, tracking)) this.#failed(id, tracking, error)
      throw error
    }
    this.#landed(id, lane)
    if (!this.#isCurrent(id, tracking)) return
    this.track(id, outcome.expiresAt, outcome.issuedAt)
  }

  /** A refresh ended: its place in the lane goes to the next one waiting there. */
  #landed(id: string, lane: string): void {
    this.#inFlight.delete(id)
    const running = (this.#running.get(lane) ?? 1) - 1
    if (running > 0) this.#running.set(lane, running)
    else this.#running.delete(lane)
    if (!this.#disposed) this.#admitWaiting(lane)
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
