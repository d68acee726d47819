import { describe, expect, it } from 'vitest'
import { defaultedInput } from './config-input.ts'
import { parseSynmetrixConfig, SYNMETRIX_NAMESPACE } from './synmetrix/config.ts'
import { DEFAULT_SESSION_DAYS, parseTeableConfig, TEABLE_CLOUD_URL } from './teable/config.ts'

describe('a setting with a default', () => {
  it('takes what was typed, trimmed, and the default where it was left out or blank', () => {
    const collection = defaultedInput('users')
    expect(collection.parse(' people ')).toBe('people')
    expect(collection.parse(undefined)).toBe('users')
    expect(collection.parse('   ')).toBe('users')
  })

  it('is checked after the default is put in, as the backends’ own settings show', () => {
    expect(parseTeableConfig({ url: ' ', sessionDays: '' })).toEqual({ url: new URL(TEABLE_CLOUD_URL).origin, sessionDays: String(DEFAULT_SESSION_DAYS) })
    expect(() => parseTeableConfig({ sessionDays: ' 400 ' })).toThrow('between 0.01 and 365')
    expect(parseSynmetrixConfig({ url: 'https://app.synmetrix.org', claimsNamespace: '  ' })).toMatchObject({ claimsNamespace: SYNMETRIX_NAMESPACE })
  })
})
