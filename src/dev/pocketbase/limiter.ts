/**
 * PocketBase's rate limiter (apis/middlewares_rate_limit.go): one fixed window per key, refilled
 * once `interval` whole seconds have passed since the last allowed hit. Rejected hits do not move
 * the window.
 */

interface Window {
  available: number
  lastConsume: number
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>()
  readonly #now: () => number

  constructor(now: () => number) {
    this.#now = now
  }

  /** Whether one more hit on `key` is allowed (and counts it if so). */
  allow(key: string, max: number, intervalSeconds: number): boolean {
    const nowUnix = Math.floor(this.#now() / 1000)
    let window = this.#windows.get(key)
    if (window === undefined) {
      window = { available: 0, lastConsume: 0 }
      this.#windows.set(key, window)
    }
    if (nowUnix - window.lastConsume >= intervalSeconds) window.available = max
    if (window.available <= 0) return false
    window.available--
    window.lastConsume = nowUnix
    return true
  }
}
