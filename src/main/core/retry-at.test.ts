import { describe, expect, it } from 'vitest'
import { minuteAtOrAfter, resetHeaderAt, retryAfterAt, retryAtFrom } from './retry-at.ts'

const NOW = Date.UTC(2026, 11, 5, 14, 0, 0)

describe('when a 429 says the next request may go', () => {
  it('reads X-RateLimit-Reset as Unix seconds (express-rate-limit) or as seconds from now (@nestjs/throttler, proxies)', () => {
    expect(resetHeaderAt(String(NOW / 1000 + 90), NOW)).toBe(NOW + 90_000)
    expect(resetHeaderAt('90', NOW)).toBe(NOW + 90_000)
    expect(resetHeaderAt(String(NOW + 90_000), NOW)).toBe(NOW + 90_000)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterAt('120', NOW)).toBe(NOW + 120_000)
    expect(retryAfterAt(new Date(NOW + 300_000).toUTCString(), NOW)).toBe(NOW + 300_000)
  })

  it('takes the later of the two headers, and never a time in the past', () => {
    const headers = new Headers({ 'x-ratelimit-reset': String(NOW / 1000 + 30), 'retry-after': '60' })
    expect(retryAtFrom(headers, NOW)).toBe(NOW + 60_000)
    expect(retryAtFrom(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 - 30) }), NOW)).toBe(NOW)
  })

  it('says nothing for absent or unreadable headers', () => {
    expect(retryAtFrom(new Headers(), NOW)).toBeNull()
    expect(retryAtFrom(new Headers({ 'retry-after': 'soon', 'x-ratelimit-reset': '-4' }), NOW)).toBeNull()
  })

  it('rounds a time up to the whole minute, so "try again at HH:MM" is never too early', () => {
    expect(minuteAtOrAfter(NOW + 1)).toBe(NOW + 60_000)
    expect(minuteAtOrAfter(NOW)).toBe(NOW)
  })
})
