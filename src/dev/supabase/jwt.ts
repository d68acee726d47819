/** HS256 access tokens with GoTrue's claims (internal/tokens/service.go AccessTokenClaims), and the API keys. */
import { jwtVerify, SignJWT } from 'jose'

export interface AccessClaims {
  sub: string
  email: string
  phone: string
  app_metadata: Record<string, unknown>
  user_metadata: Record<string, unknown>
  role: string
  aal: 'aal1' | 'aal2'
  amr: { method: string; timestamp: number }[]
  session_id: string
  is_anonymous: boolean
}

export async function signAccessToken(secret: Uint8Array, issuer: string, claims: AccessClaims, iat: number, exp: number): Promise<string> {
  return new SignJWT({ ...claims, aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret)
}

/** An API key as Supabase mints them: a long-lived JWT naming a role (anon or service_role). */
export async function signApiKey(secret: Uint8Array, role: 'anon' | 'service_role'): Promise<string> {
  const iat = Math.floor(Date.UTC(2026, 0, 1) / 1000)
  return new SignJWT({ role, iss: 'supabase-demo' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 10 * 365 * 86400)
    .sign(secret)
}

export async function verifyJwt(secret: Uint8Array, token: string, now: number): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate: new Date(now) })
    return payload
  } catch {
    return null
  }
}
