import { describe, expect, it } from 'vitest'
import { OIDC_BACKEND } from '../testing/fixtures.ts'
import { formFieldOf } from './add-account.svelte.ts'

describe('formFieldOf', () => {
  it('finds the form field a VALIDATION error names, with or without the "config." prefix', () => {
    expect(formFieldOf('config.issuer', OIDC_BACKEND)).toBe('issuer')
    expect(formFieldOf('clientId', OIDC_BACKEND)).toBe('clientId')
    expect(formFieldOf('label', OIDC_BACKEND)).toBe('label')
  })

  it('gives null for fields the form does not have', () => {
    expect(formFieldOf('kind', OIDC_BACKEND)).toBeNull()
    expect(formFieldOf('config.unknown', OIDC_BACKEND)).toBeNull()
    expect(formFieldOf(undefined, OIDC_BACKEND)).toBeNull()
  })
})
