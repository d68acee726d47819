import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { inspectToken } from './inspect-token.ts'

const iat = 1_900_000_000
const exp = iat + 3_600

describe('inspectToken', () => {
  it('decodes a signed access token: claims, space-separated scopes, times as ISO', async () => {
    const token = await new SignJWT({ scope: 'openid  profile email', sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode('a-test-key-that-is-long-enough-for-hs256'))
    const inspection = inspectToken(token, 'access')
    expect(inspection.kind).toBe('access')
    expect(inspection.claims).toMatchObject({ sub: 'user-1', iat, exp })
    expect(inspection.scopes).toEqual(['openid', 'profile', 'email'])
    expect(inspection.issuedAt).toBe(new Date(iat * 1000).toISOString())
    expect(inspection.expiresAt).toBe(new Date(exp * 1000).toISOString())
    expect(JSON.stringify(inspection)).not.toContain(token)
    expect(JSON.stringify(inspection)).not.toContain(token.split('.')[2])
  })

  it('reads scopes from an scp array and tolerates missing times', () => {
    const token = new UnsecuredJWT({ scp: ['read', 'write', 3], name: 'Ada' }).encode()
    const inspection = inspectToken(token, 'id')
    expect(inspection).toMatchObject({ kind: 'id', scopes: ['read', 'write'], issuedAt: null, expiresAt: null })
    expect(inspection.claims).toMatchObject({ name: 'Ada' })
  })

  it('gives no claims for an opaque token and never echoes it', () => {
    const token = 'opaque-9f8e7d6c5b4a'
    const inspection = inspectToken(token, 'access')
    expect(inspection).toEqual({ kind: 'access', claims: null, scopes: [], issuedAt: null, expiresAt: null })
    expect(JSON.stringify(inspectToken('a.b.c', 'access'))).not.toContain('a.b.c')
  })

  it('ignores times that are not valid NumericDates', () => {
    const token = new UnsecuredJWT({ iat: 'yesterday' as unknown as number, exp: 1e20 }).encode()
    const inspection = inspectToken(token, 'access')
    expect(inspection.issuedAt).toBeNull()
    expect(inspection.expiresAt).toBeNull()
  })
})
