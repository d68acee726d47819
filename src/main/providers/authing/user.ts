/** Turning Authing's User object and v2 token into Latchkey's session, identity and profile. */
import { decodeJwt } from 'jose'
import { AppError } from '../../core/errors.ts'
import { MAX_PROFILE_TEXT, plainValue, rfc3339, yesNo, type Profile } from '../../core/profile.ts'
import type { Identity, Session, SignedIn } from '../../core/sessions/session.ts'

export interface AuthingUser {
  id: string
  username?: string | null
  email?: string | null
  phone?: string | null
  nickname?: string | null
  name?: string | null
  token?: string | null
  tokenExpiredAt?: string | null
  customData?: { key: string; value?: string | null; dataType: string; label?: string | null }[] | null
  [field: string]: unknown
}

/** Never shown or stored as profile. */
const NOT_PROFILE = new Set(['token', 'tokenExpiredAt', 'password', 'customData', 'identities', '__typename'])

export function identityFrom(user: AuthingUser): Identity {
  return {
    subject: user.id,
    name: text(user.name) ?? text(user.nickname) ?? text(user.username) ?? text(user.phone),
    email: text(user.email),
  }
}

/** Fields of Authing's User type that hold a time, written as an ISO 8601 date-time. */
const TIME_FIELDS = new Set(['createdAt', 'updatedAt', 'lastLogin', 'signedUp'])

/**
 * The user's filled-in fields and user-defined values ("udv.school"): booleans as yes/no, the User
 * type's times and a BOOLEAN user-defined value as such, the rest as text.
 */
export function profileFrom(user: AuthingUser): Profile {
  const profile: Profile = {}
  for (const [key, value] of Object.entries(user)) {
    if (NOT_PROFILE.has(key) || value === null || value === '') continue
    const field = (TIME_FIELDS.has(key) ? rfc3339(value) : null) ?? plainValue(value)
    if (field !== null) profile[key] = field
  }
  for (const item of user.customData ?? []) {
    if (typeof item.value !== 'string' || item.value === '') continue
    const yes = item.dataType === 'BOOLEAN' && (item.value === 'true' || item.value === 'false')
    profile[`udv.${item.key}`] = yes ? yesNo(item.value === 'true') : item.value.slice(0, MAX_PROFILE_TEXT)
  }
  return profile
}

/** A v2 token as a session: it is its own credential (no refresh token), renewed while valid. */
export function sessionFromToken(token: string, now: number, expiresAt?: number | null): Session {
  let exp = expiresAt ?? null
  if (exp === null) {
    try {
      const claims = decodeJwt(token)
      exp = typeof claims.exp === 'number' ? claims.exp * 1000 : null
    } catch {
      exp = null
    }
  }
  return { accessToken: token, refreshToken: null, idToken: null, tokenType: 'Bearer', scopes: [], expiresAt: exp, issuedAt: now }
}

/** A whole sign-in from a User answer that carries a token. */
export function signedInFrom(user: AuthingUser | null | undefined, now: number, host: string): SignedIn {
  const token = user?.token
  if (user === null || user === undefined || typeof user.id !== 'string' || typeof token !== 'string' || token === '') {
    throw new AppError('AUTH_FAILED', `${host} answered the sign-in without a session.`)
  }
  const expiry = typeof user.tokenExpiredAt === 'string' ? Date.parse(user.tokenExpiredAt) : Number.NaN
  return { session: sessionFromToken(token, now, Number.isFinite(expiry) ? expiry : null), identity: identityFrom(user), profile: profileFrom(user) }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}
