/**
 * When a rate-limited server allows the next request, from its 429's headers. `Retry-After` is
 * seconds from now or an HTTP date (RFC 9110). `X-RateLimit-Reset` comes in two forms depending on
 * the gateway: Unix seconds (express-rate-limit, GitHub-style gateways) or seconds from now
 * (@nestjs/throttler, Kong, many proxies). A value below 10^9 (September 2001 as Unix seconds, or
 * 31 years as a delay) can only be a delay; above 10^12 it is Unix milliseconds.
 */

export interface HeaderSource {
  get(name: string): string | null
}

const EPOCH_SECONDS_FROM = 1e9
const EPOCH_MS_FROM = 1e12

/** X-RateLimit-Reset as a time (ms since the epoch), whichever form the gateway sends; null when absent or unreadable. */
export function resetHeaderAt(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null
  const number = Number(value.trim())
  if (!Number.isFinite(number) || number < 0) return null
  if (number >= EPOCH_MS_FROM) return Math.round(number)
  if (number >= EPOCH_SECONDS_FROM) return Math.round(number * 1000)
  return now + Math.round(number * 1000)
}

/** Retry-After (seconds from now, or an HTTP date) as a time; null when absent or unreadable. */
export function retryAfterAt(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return now + Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isFinite(date) && /[a-z]/i.test(text) ? date : null
}

/**
 * The time a 429 says the next request may go (never before `now`): the later of the two headers
 * when both are there, since a client that waits for the later one is refused by neither. Null when
 * the answer says nothing usable.
 */
export function retryAtFrom(headers: HeaderSource, now: number): number | null {
  const times = [resetHeaderAt(headers.get('x-ratelimit-reset'), now), retryAfterAt(headers.get('retry-after'), now)].filter(
    (time): time is number => time !== null,
  )
  return times.length === 0 ? null : Math.max(now, ...times)
}

/** HH:MM of the first whole minute at or after `ms`, so "try again at" is never too early. */
export function minuteAtOrAfter(ms: number): number {
  return Math.ceil(ms / 60_000) * 60_000
}
