import { describe, expect, it } from 'vitest'
import { SETTINGS_PROJECT_VERSION } from './schema.ts'
import { currentSettings } from './current-settings.ts'

/** A settings file of this version whose one account was created at `createdAt`. */
const file = (createdAt: unknown) => ({
  accounts: [
    {
      id: 'a1',
      label: 'Work',
      provider: 'oidc',
      config: { issuer: 'https://id.example.test' },
      identity: { subject: 's', name: null, email: null },
      profile: {},
      createdAt,
      lastRefreshAt: null,
      expiresAt: null,
      attention: null,
      signedOut: false,
    },
  ],
  activeAccountId: 'a1',
  __internal__: { migrations: { version: SETTINGS_PROJECT_VERSION } },
})

describe('the quick read of a current settings file', () => {
  it('takes times as Date.toISOString writes them, with a fraction of 1 to 9 digits or none', () => {
    for (const time of [new Date(0).toISOString(), '2024-02-29T23:59:59.999Z', '2026-12-31T00:00:00Z', '2026-01-02T03:04:05.1Z', '2026-01-02T03:04:05.123456789Z']) {
      expect(currentSettings(file(time)), time).not.toBeNull()
    }
  })

  it('leaves any other time to the schema (null), however close it comes', () => {
    for (const time of [
      '2026-13-01T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-02T24:00:00.000Z',
      '2026-01-02T03:60:00.000Z',
      '2026-01-02T03:04:60.000Z',
      '2026-01-02T03:04:05.000',
      '2026-01-02T03:04:05.Z',
      '2026-01-02T03:04:05.1234567890Z',
      '2026-01-02T03:04:05+00:00',
      '2026-01-02 03:04:05.000Z',
      '2026-01-02T03:04:05,000Z',
      '2026-01-0٣T03:04:05.000Z',
      '+02026-01-02T03:04:05.000Z',
      '',
      1_700_000_000_000,
    ]) {
      expect(currentSettings(file(time)), String(time)).toBeNull()
    }
  })
})
