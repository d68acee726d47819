/**
 * express-rate-limit 5 as HBP mounts it in production (src/limiter.ts): one fixed window that starts
 * when the server starts and resets every TIME_FRAME, counted per client IP (with `trust proxy 1`,
 * the right-most X-Forwarded-For entry). Every answer carries X-RateLimit-Limit / -Remaining / -Reset
 * (Unix seconds); a refused one is 429 with Retry-After and Boom-shaped JSON. /healthz is not counted.
 */

export interface LimitVerdict {
  allowed: boolean
  headers: Record<string, string>
}

export class RateLimiter {
  readonly #max: number
  readonly #windowMs: number
  readonly #now: () => number
  readonly #start: number
  #window = -1
  readonly #hits = new Map<string, number>()

  constructor(limit: { max: number; windowMs: number }, now: () => number) {
    this.#max = limit.max
    this.#windowMs = limit.windowMs
    this.#now = now
    this.#start = now()
  }

  hit(key: string): LimitVerdict {
    const now = this.#now()
    const window = Math.floor((now - this.#start) / this.#windowMs)
    if (window !== this.#window) {
      this.#window = window
      this.#hits.clear()
    }
    const count = (this.#hits.get(key) ?? 0) + 1
    this.#hits.set(key, count)
    const resetAt = this.#start + (window + 1) * this.#windowMs
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.#max),
      'x-ratelimit-remaining': String(Math.max(0, this.#max - count)),
      'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
      date: new Date(now).toUTCString(),
    }
    if (count <= this.#max) return { allowed: true, headers }
    return { allowed: false, headers: { ...headers, 'retry-after': String(Math.ceil(this.#windowMs / 1000)) } }
  }
}

/** req.ip behind `trust proxy 1`: the right-most X-Forwarded-For entry, else the socket's address. */
export function clientIp(forwardedFor: string | string[] | undefined, socketAddress: string): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')
  const parts = header.split(',').map((part) => part.trim()).filter((part) => part !== '')
  return parts.at(-1) ?? socketAddress.replace(/^::ffff:/, '')
}
