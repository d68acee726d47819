import { describe, expect, it } from 'vitest'
import { isoOrNull } from './iso-time.ts'

describe('isoOrNull', () => {
  it('gives each time its own ISO string, asked in any order and again, and null for null', () => {
    const times = [0, 1_700_000_000_123, 1_700_000_000_123, 1_800_000_000_000, 0, 1_700_000_000_123]
    expect(times.map((ms) => isoOrNull(ms))).toEqual(times.map((ms) => new Date(ms).toISOString()))
    expect(isoOrNull(null)).toBeNull()
    expect(isoOrNull(1_800_000_000_000)).toBe('2027-01-15T08:00:00.000Z')
  })

  it('refuses a time that is not one, as before', () => {
    expect(() => isoOrNull(Number.NaN)).toThrow(RangeError)
    expect(() => isoOrNull(Number.NaN)).toThrow(RangeError)
  })
})
