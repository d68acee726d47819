/**
 * An Auth token answer (or the session auth-js saved) as Latchkey's session, identity and profile.
 * The expiry comes from the access token itself; the assurance level (aal1 / aal2) and the methods
 * used (amr) are read from its claims, so the account shows whether the second factor was used.
 */
import type { Session as AuthSession, User } from '@supabase/auth-js'
import { decodeJwt } from 'jose'
import { AppError } from '../../core/errors.ts'
import { yesNo, type Profile } from '../../core/profile.ts'
import type { Identity, Session, SignedIn } from '../../core/sessions/session.ts'

export const TOKEN_TYPE = 'bearer'

export interface TokenAnswer {
  access_token: string
  refresh_token: string
  expires_at?: number
  expires_in?: number
  user?: User | null
}

export interface AccessClaims {
  sub: string
  sessionId: string | null
  aal: string | null
  amr: string[]
  isAnonymous: boolean
  expiresAt: number | null
}

/** A second factor's amr method (Supabase Auth's totp, mfa/phone, mfa/webauthn). */
const SECOND_FACTOR = /^(totp|mfa\/)/

/**
 * The methods in the order the person used them. Supabase Auth lists the newest first, and methods
 * used in the same second in no set order (models/sessions.go, CalculateAALAndAMR); a first factor
 * goes before a second one used in the same second.
 */
function methodsInOrder(amr: unknown): string[] {
  if (!Array.isArray(amr)) return []
  const entries = amr.map((entry: unknown, index) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as { method?: unknown; timestamp?: unknown }) : null
    const method = record === null ? String(entry) : String(record.method)
    const at = typeof record?.timestamp === 'number' ? record.timestamp : 0
    return { method, at, second: SECOND_FACTOR.test(method) ? 1 : 0, index }
  })
  return entries.sort((a, b) => a.at - b.at || a.second - b.second || a.index - b.index).map((entry) => entry.method)
}

export function accessClaims(token: string): AccessClaims {
  const claims = decodeJwt(token)
  const amr = methodsInOrder(claims.amr)
  return {
    sub: typeof claims.sub === 'string' ? claims.sub : '',
    sessionId: typeof claims.session_id === 'string' ? claims.session_id : null,
    aal: typeof claims.aal === 'string' ? claims.aal : null,
    amr,
    isAnonymous: claims.is_anonymous === true,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
  }
}

export function sessionOf(answer: TokenAnswer, now: number): Session {
  let claims: AccessClaims
  try {
    claims = accessClaims(answer.access_token)
  } catch {
    throw new AppError('AUTH_FAILED', 'The server answered with an access token Latchkey cannot read.')
  }
  if (answer.refresh_token === '') throw new AppError('AUTH_FAILED', 'The server answered without a refresh token.')
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    idToken: null,
    tokenType: TOKEN_TYPE,
    scopes: [],
    expiresAt: claims.expiresAt ?? (typeof answer.expires_at === 'number' ? answer.expires_at * 1000 : null),
    issuedAt: now,
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

export function displayName(user: User): string | null {
  const data = user.user_metadata
  return text(data.display_name) ?? text(data.full_name) ?? text(data.name) ?? null
}

export function identityOf(user: User): Identity {
  return { subject: user.id, name: displayName(user), email: text(user.email) ?? (text(user.phone) === null ? null : `+${String(user.phone)}`) }
}

/** "aal2 (password, totp)" */
export function assuranceOf(token: string): string {
  const claims = accessClaims(token)
  const level = claims.aal ?? 'aal1'
  const meaning = level === 'aal2' ? 'second factor verified' : 'one factor'
  return `${level}: ${meaning}${claims.amr.length === 0 ? '' : ` (${claims.amr.join(', ')})`}`
}

export function profileOf(user: User, accessToken: string): Profile {
  const profile: Profile = { id: user.id }
  if (text(user.email) !== null) profile.email = String(user.email)
  if (text(user.phone) !== null) profile.phone = `+${String(user.phone)}`
  const name = displayName(user)
  if (name !== null) profile.name = name
  const avatar = text(user.user_metadata.avatar_url)
  if (avatar !== null) profile.avatar_url = avatar
  if (user.is_anonymous === true) profile.anonymous = yesNo(true)
  if (user.new_email) profile.pending_email = user.new_email
  if (user.new_phone) profile.pending_phone = `+${user.new_phone}`
  const providers = user.app_metadata.providers
  if (Array.isArray(providers) && providers.length > 0) profile.sign_in_methods = providers.join(', ')
  profile.assurance_level = assuranceOf(accessToken)
  return profile
}

export function signedInOf(answer: TokenAnswer, now: number): SignedIn {
  const session = sessionOf(answer, now)
  const user = answer.user
  if (user === undefined || user === null) throw new AppError('AUTH_FAILED', 'The server answered without the signed-in user.')
  return { session, identity: identityOf(user), profile: profileOf(user, session.accessToken) }
}

export function fromAuthSession(saved: AuthSession, now: number): SignedIn {
  return signedInOf(saved, now)
}
