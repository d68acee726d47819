import { describe, expect, it } from 'vitest'
import { claimText, countdown, expiryText, formatDuration, relativeTime, statusLabel, storageText } from './format.ts'

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
