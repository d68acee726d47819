import { describe, expect, it } from 'vitest'
import { OIDC_BACKEND } from '../testing/fixtures.ts'
import { destinationOf, formFieldOf } from './add-account.svelte.ts'

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

describe('destinationOf', () => {
  it('names the host of the address filled in, or the backend when there is none', () => {
    expect(destinationOf(OIDC_BACKEND, { issuer: 'https://id.example.test/realms/work', clientId: 'x' })).toBe('id.example.test')
    expect(destinationOf(OIDC_BACKEND, { issuer: 'not a url' })).toBe('not a url')
    expect(destinationOf(OIDC_BACKEND, { clientId: 'x' })).toBe('OpenID Connect')
  })
})
