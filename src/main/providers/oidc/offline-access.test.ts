import { describe, expect, it } from 'vitest'
import { invalidScopeAdvice, offlineAccess } from './offline-access.ts'

const DEFAULT = ['openid', 'profile', 'email', 'offline_access']

describe('asking for a refresh token', () => {
  it('sends offline_access where the server lists it, or lists no scopes at all', () => {
    for (const scopes_supported of [['openid', 'offline_access'], undefined]) {
      expect(offlineAccess({ scopes: DEFAULT }, { issuer: 'https://id.example.com', scopes_supported })).toEqual({ scopes: DEFAULT, params: {}, asked: true })
    }
  })

  it('leaves offline_access out where the server lists scopes without it (GitLab, Cognito refuse it as invalid_scope)', () => {
    expect(offlineAccess({ scopes: DEFAULT }, { issuer: 'https://gitlab.example.com', scopes_supported: ['openid', 'profile', 'email'] })).toEqual({
      scopes: ['openid', 'profile', 'email'],
      params: {},
      asked: false,
    })
  })

  it("asks Google with its own access_type=offline instead of the scope it refuses", () => {
    expect(offlineAccess({ scopes: DEFAULT }, { issuer: 'https://accounts.google.com', scopes_supported: ['openid', 'email', 'profile'] })).toEqual({
      scopes: ['openid', 'profile', 'email'],
      params: { access_type: 'offline' },
      asked: true,
    })
  })

  it('asks nothing more when the person left offline_access out', () => {
    const scopes = ['openid', 'email']
    expect(offlineAccess({ scopes }, { issuer: 'https://accounts.google.com', scopes_supported: ['openid', 'email'] })).toEqual({ scopes, params: {}, asked: false })
  })
})

describe('after the server refused the scopes (invalid_scope)', () => {
  const asked = { scopes: DEFAULT, params: {}, asked: true }
  it('names “offline” only where the server lists it and offline_access was asked for', () => {
    expect(invalidScopeAdvice(asked, { scopes_supported: ['offline_access', 'offline', 'openid'] })).toContain('also takes “offline” in place of offline_access')
    for (const scopes_supported of [['openid', 'offline_access'], undefined]) {
      expect(invalidScopeAdvice(asked, { scopes_supported })).toBe("Change Scopes in this account's settings to ones this client may ask for.")
    }
    expect(invalidScopeAdvice({ scopes: ['openid', 'offline'], params: {}, asked: false }, { scopes_supported: ['offline'] })).not.toContain('also takes')
  })
})
