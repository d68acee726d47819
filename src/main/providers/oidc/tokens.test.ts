import { describe, expect, it } from 'vitest'
import { profileFrom } from './tokens.ts'

describe('the profile Latchkey keeps from an ID token and userinfo', () => {
  it("holds facts about the person, not the protocol's claims about the token (zitadel/oidc's client_id)", () => {
    // An ID token as the zitadel/oidc OpenID Provider issues it (pkg/oidc/token.go, NewIDTokenClaims).
    const idToken = {
      iss: 'http://127.0.0.1:4000',
      sub: 'alice',
      aud: ['latchkey'],
      exp: 1_900_000_000,
      iat: 1_899_996_400,
      auth_time: 1_899_996_390,
      nonce: 'n-0S6_WzA2Mj',
      amr: ['pwd'],
      azp: 'latchkey',
      client_id: 'latchkey',
      at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
      name: 'Alice Liddell',
      email: 'alice@example.test',
    }
    const profile = profileFrom(idToken, { sub: 'alice', name: 'Alice Liddell', email_verified: true })
    expect(profile).toEqual({ sub: 'alice', name: 'Alice Liddell', email: 'alice@example.test', email_verified: { kind: 'yes-no', value: 'true' } })
  })

  it('says which standard claims are times and yes/no, as OpenID Connect Core §5.1 defines them', () => {
    const profile = profileFrom({ sub: 'alice', updated_at: 1_764_954_636, email_verified: false, phone_number_verified: true })
    expect(profile).toMatchObject({
      updated_at: { kind: 'time', value: '2025-12-05T17:10:36.000Z' },
      email_verified: { kind: 'yes-no', value: 'false' },
      phone_number_verified: { kind: 'yes-no', value: 'true' },
    })
  })

  it('reads those claims as servers that stray from the types write them: an RFC 3339 updated_at, "true" for a boolean', () => {
    const profile = profileFrom({ updated_at: '2025-12-05T18:10:36.5+01:00', email_verified: 'true' })
    expect(profile).toEqual({ updated_at: { kind: 'time', value: '2025-12-05T17:10:36.500Z' }, email_verified: { kind: 'yes-no', value: 'true' } })
  })

  it('leaves numbers and text that only look like times or yes/no as they came', () => {
    const profile = profileFrom({ sub: '1764954636', employee_number: 1_764_954_636, nickname: 'true', updated_at: 'last week', birthdate: '1852-11-27' })
    expect(profile).toEqual({ sub: '1764954636', employee_number: '1764954636', nickname: 'true', updated_at: 'last week', birthdate: '1852-11-27' })
  })
})
