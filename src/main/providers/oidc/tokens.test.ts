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
    expect(profile).toEqual({ sub: 'alice', name: 'Alice Liddell', email: 'alice@example.test', email_verified: 'true' })
  })
})
