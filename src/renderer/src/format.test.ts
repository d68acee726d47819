import { describe, expect, it } from 'vitest'
import { claimText, countdown, expiryText, fieldText, formatDuration, relativeTime, statusLabel, storageText } from './format.ts'

const NOW = Date.parse('2026-01-01T12:00:00Z')
const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString()

describe('format', () => {
  it('says durations in the largest useful unit, with one more when precise', () => {
    expect(formatDuration(42_000)).toBe('42 s')
    expect(formatDuration(4 * 60_000 + 12_000)).toBe('4 min')
    expect(formatDuration(4 * 60_000 + 12_000, true)).toBe('4 min 12 s')
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000, true)).toBe('3 h 5 min')
    expect(formatDuration(50 * 3_600_000)).toBe('2 d')
  })

  it('says relative times both ways', () => {
    expect(relativeTime(at(4 * 60_000 + 30_000), NOW)).toBe('in 4 min')
    expect(relativeTime(at(-2 * 3_600_000), NOW)).toBe('2 h ago')
    expect(relativeTime(at(0), NOW)).toBe('just now')
    expect(relativeTime(null, NOW)).toBe('unknown')
  })

  it('says when a token expires, or that it has', () => {
    expect(expiryText(at(4 * 60_000 + 30_000), NOW)).toBe('expires in 4 min')
    expect(expiryText(at(-1), NOW)).toBe('expired')
    expect(expiryText(at(0), NOW)).toBe('expired')
    expect(expiryText(null, NOW)).toBe('no expiry reported')
    expect(expiryText('not a date', NOW)).toBe('no expiry reported')
  })

  it('counts down in minutes and seconds and stops at zero', () => {
    expect(countdown(at(4 * 60_000 + 5_000), NOW)).toBe('4:05')
    expect(countdown(at(-5_000), NOW)).toBe('0:00')
  })

  it('names statuses and storage as the screens show them', () => {
    expect(statusLabel('signed-in')).toBe('Signed in')
    expect(statusLabel('refreshing')).toBe('Refreshing')
    expect(statusLabel('needs-attention')).toBe('Needs attention')
    expect(statusLabel('signed-out')).toBe('Signed out')
    expect(storageText('keychain')).toBe('Stored in the system keychain')
    expect(storageText('memory-only')).toBe('Memory only — this session ends when Latchkey quits')
  })
})

describe('claimText', () => {
  it('shows an auth_time of 0 as not given, not as 1970', () => {
    expect(claimText('auth_time', 0)).toBe('0 (not given)')
    expect(claimText('auth_time', 0)).not.toMatch(/1970/)
    expect(claimText('auth_time', 1_700_000_000)).toContain(new Date(1_700_000_000_000).toLocaleString())
  })
})

describe('fieldText', () => {
  const local = (iso: string): string => new Date(iso).toLocaleString()

  it('says a yes/no as Yes or No', () => {
    expect(fieldText({ key: 'verified', label: 'Verified', value: 'true', kind: 'yes-no' })).toBe('Yes')
    expect(fieldText({ key: 'emailVisibility', label: 'Email visibility', value: 'false', kind: 'yes-no' })).toBe('No')
  })

  it("shows a time in the person's own date and time format and zone", () => {
    // PocketBase's "2026-12-05 17:10:36.813Z", as the provider hands it over.
    const created = fieldText({ key: 'created', label: 'Created', value: '2026-12-05T17:10:36.813Z', kind: 'time' })
    expect(created).toBe(local('2026-12-05T17:10:36.813Z'))
    expect(created).not.toContain('Z')
    // OpenID Connect's updated_at of 1764954636 (seconds since the epoch), as the provider hands it over.
    expect(fieldText({ key: 'updated_at', label: 'Updated at', value: '2025-12-05T17:10:36.000Z', kind: 'time' })).toBe(local('2025-12-05T17:10:36Z'))
  })

  it('leaves text as it came, however much it looks like a number, a date or a yes/no', () => {
    for (const value of ['ada000000000001', '1764954636', 'true', '2026-12-05 17:10:36.813Z', '']) {
      expect(fieldText({ key: 'id', label: 'ID', value })).toBe(value)
    }
  })

  it('shows a time it cannot read as it came rather than as a wrong date', () => {
    expect(fieldText({ key: 'updated', label: 'Updated', value: 'soon', kind: 'time' })).toBe('soon')
  })
})
