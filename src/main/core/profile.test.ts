import { describe, expect, it } from 'vitest'
import { epochSeconds, profileFields, rfc3339, sameValue, yesNo } from './profile.ts'

describe('profile values', () => {
  it('lists a profile for the account screen: labelled, each typed value with its kind, text without one', () => {
    expect(profileFields({ email_verified: yesNo(true), updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z' }, emailVisibility: 'x', id: '42' })).toEqual([
      { key: 'email_verified', label: 'Email verified', value: 'true', kind: 'yes-no' },
      { key: 'updated_at', label: 'Updated at', value: '2025-12-05T17:10:36.000Z', kind: 'time' },
      { key: 'emailVisibility', label: 'Email visibility', value: 'x' },
      { key: 'id', label: 'ID', value: '42' },
    ])
  })

  it('labels keys in sentence case, with abbreviations in capitals and a claim name a person would not read spelled out', () => {
    const labels = (keys: string[]) => profileFields(Object.fromEntries(keys.map((key) => [key, 'x']))).map((field) => field.label)
    expect(labels(['sub', 'preferred_username', 'phoneCountryCode', 'lastIP', 'lastIp', 'user_id', 'given-name', 'avatarURL', 'mfaEnabled', 'loginsCount', '_'])).toEqual([
      'Subject', 'Preferred username', 'Phone country code', 'Last IP', 'Last IP', 'User ID', 'Given name', 'Avatar URL', 'MFA enabled', 'Logins count', '_',
    ])
  })

  it('reads a time only from the form its field is defined in', () => {
    expect(epochSeconds(1_764_954_636)).toEqual({ kind: 'time', value: '2025-12-05T17:10:36.000Z' })
    expect(epochSeconds('1764954636')).toBeNull()
    expect(epochSeconds(0)).toBeNull()
    expect(rfc3339('2025-12-05T17:10:36Z')).toEqual({ kind: 'time', value: '2025-12-05T17:10:36.000Z' })
    expect(rfc3339('2025-12-05')).toBeNull()
    expect(rfc3339('Fri, 05 Dec 2025 17:10:36 GMT')).toBeNull()
  })

  it('compares values by what they say, so an unchanged profile is not written again', () => {
    expect(sameValue(yesNo(true), yesNo(true))).toBe(true)
    expect(sameValue(yesNo(true), 'true')).toBe(false)
    expect(sameValue(yesNo(true), { kind: 'time', value: 'true' })).toBe(false)
    expect(sameValue('a', 'a')).toBe(true)
    expect(sameValue(undefined, 'a')).toBe(false)
  })
})
