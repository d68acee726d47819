import { describe, expect, it } from 'vitest'
import { backoffDelay, refreshDueAt } from './refresh-plan.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('refreshDueAt', () => {
  it('leads by 10 % of a long lifetime, minus at most 30 s of jitter', () => {
    const issuedAt = 1_000_000
    const expiresAt = issuedAt + 10 * HOUR
    expect(refreshDueAt(expiresAt, issuedAt, () => 0)).toBe(expiresAt - HOUR)
    expect(refreshDueAt(expiresAt, issuedAt, () => 1)).toBe(expiresAt - HOUR - 30_000)
    const jittered = refreshDueAt(expiresAt, issuedAt, () => 0.5)
    expect(jittered).toBeLessThan(expiresAt - HOUR)
    expect(jittered).toBeGreaterThan(expiresAt - HOUR - 30_000)
  })

  it('leads by at least 60 s, with jitter of at most 5 % of the lifetime', () => {
    const issuedAt = 0
    const expiresAt = 5 * MINUTE
    expect(refreshDueAt(expiresAt, issuedAt, () => 0)).toBe(expiresAt - MINUTE)
    expect(refreshDueAt(expiresAt, issuedAt, () => 1)).toBe(expiresAt - MINUTE - 15_000)
  })

  it('refreshes a token of a few seconds halfway, never at once and never before it was issued', () => {
    const issuedAt = 50_000
    const due = refreshDueAt(issuedAt + 6_000, issuedAt, () => 0)
    expect(due).toBe(issuedAt + 3_000)
    expect(refreshDueAt(issuedAt, issuedAt, () => 1)).toBeGreaterThan(issuedAt)
    expect(refreshDueAt(issuedAt - HOUR, issuedAt, () => 1)).toBeGreaterThan(issuedAt)
  })

  it('keeps a faulty random source inside the jitter window', () => {
    const expiresAt = 10 * HOUR
    expect(refreshDueAt(expiresAt, 0, () => 7)).toBe(refreshDueAt(expiresAt, 0, () => 1))
    expect(refreshDueAt(expiresAt, 0, () => Number.NaN)).toBe(refreshDueAt(expiresAt, 0, () => 0))
  })
})

describe('backoffDelay', () => {
  const policy = { baseMs: 1_000, capMs: 20_000 }

  it('doubles from the base up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 50, 5_000].map((attempt) => backoffDelay(attempt, policy, () => 0))
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000])
  })

  it('jitters downwards by at most a fifth, never above the cap', () => {
    for (const random of [0, 0.3, 0.99, 1]) {
      for (const attempt of [1, 3, 10]) {
        const full = backoffDelay(attempt, policy, () => 0)
        const delay = backoffDelay(attempt, policy, () => random)
        expect(delay).toBeLessThanOrEqual(full)
        expect(delay).toBeGreaterThanOrEqual(full * 0.8)
      }
    }
  })
})
