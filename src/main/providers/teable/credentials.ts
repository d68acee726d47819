/**
 * The two credentials a Teable account may hold and what each can do: the cookie session (profile
 * and security) and a personal access token (the data API and other tools). Sessions for both, and
 * the profile lines that say which the account has and whether the token still works.
 */
import { z } from 'zod'
import type { CredentialStatus } from '../../../shared/contract.ts'
import type { ProviderContext } from '../../core/provider.ts'
import { utcMinute } from '../../core/iso-time.ts'
import type { Session } from '../../core/sessions/session.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import type { TeableUser } from './user.ts'
import { COOKIE_TOKEN_TYPE, PAT_TOKEN_TYPE } from './session-kind.ts'

export { COOKIE_TOKEN_TYPE, isTokenSession, PAT_TOKEN_TYPE } from './session-kind.ts'

export function cookieSession(cookie: string, settings: TeableSettings, now: number): Session {
  return { accessToken: cookie, refreshToken: null, idToken: null, tokenType: COOKIE_TOKEN_TYPE, scopes: [], expiresAt: now + settings.sessionMs, issuedAt: now }
}

/** A token-only account: nothing renews a token, Latchkey checks it is still accepted. */
export function tokenSession(token: string, expiresAt: number | null, scopes: string[], now: number): Session {
  return { accessToken: token, refreshToken: null, idToken: null, tokenType: PAT_TOKEN_TYPE, scopes, expiresAt, issuedAt: now, isStatic: true }
}

/** The token's id (`teable_<id>_<sign>`), used to find it in the server's list. */
export function tokenId(token: string): string {
  return token.split('_')[1] ?? ''
}

export type TokenState = 'accepted' | 'refused' | 'unknown'

/** Asks the server whether it still takes this token (the one user route a token may call). */
export async function checkToken(settings: TeableSettings, token: string): Promise<TokenState> {
  const result = await teableCall(settings, { method: 'GET', path: '/auth/user', credential: { bearer: token } })
  if (!result.ok) return 'unknown'
  if (result.answer.status === 200) return 'accepted'
  // A malformed token is a 500 on Teable: it cannot work either.
  return result.answer.status === 401 || result.answer.status === 403 || result.answer.status === 500 ? 'refused' : 'unknown'
}

export interface TokenInfo {
  id: string
  name: string
  scopes: string[]
  spaceIds: string[]
  expiredTime: string
  createdTime: string
}

/** The person's tokens as the server lists them (session only); null when it could not be read. */
export async function listTokens(settings: TeableSettings, cookie: string): Promise<TokenInfo[] | null> {
  const result = await teableCall(settings, { method: 'GET', path: '/access-token', credential: { cookie } })
  if (!result.ok || result.answer.status !== 200) return null
  const parsed = tokenListSchema.safeParse(result.answer.body)
  return parsed.success ? parsed.data : null
}

const tokenListSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()).catch([]),
    spaceIds: z.array(z.string()).optional().transform((ids) => ids ?? []),
    expiredTime: z.string(),
    createdTime: z.string().catch(''),
  }),
)

/** "2026-12-31 14:00 UTC". */
export function utc(iso: string | number): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? 'an unknown date' : utcMinute(date.getTime())
}

export const SESSION_CAN = 'profile and security settings'
export const TOKEN_CAN = 'the data API and other tools'

export const TOKEN_KIND = 'personal-access-token'

export interface CredentialView {
  profile: Record<string, string>
  /** The access token's own status (empty without one); the session's status is the account's. */
  credentials: CredentialStatus[]
}

/**
 * The profile lines for an account: who it is, and which credentials it holds with what each can
 * do; and the access token's own status. `cookie` is the session (null for a token-only account).
 */
export async function credentialView(settings: TeableSettings, user: TeableUser | null, cookie: string | null, ctx: ProviderContext, known?: Record<string, string>): Promise<CredentialView> {
  const profile: Record<string, string> = {}
  if (user) {
    profile.name = user.name
    if (user.email !== undefined) profile.email = user.email
    if (user.notifyMeta !== undefined) profile.emailNotifications = user.notifyMeta?.email === true ? 'On' : 'Off'
    if (user.hasPassword !== undefined) profile.password = user.hasPassword ? 'Set' : 'Not set (signed up with a social account)'
  }
  profile.session = cookie === null ? `None — sign in with a password for ${SESSION_CAN}` : `Signed in — for ${SESSION_CAN}`
  const token = settings.token
  if (token === null) {
    profile.accessToken = `None — paste or create one for ${TOKEN_CAN}`
    return { profile, credentials: [] }
  }
  const state = await checkToken(settings, token)
  const listed = cookie === null ? null : await listTokens(settings, cookie)
  const info = listed?.find((item) => item.id === tokenId(token))
  const expiry = info ? `, expires ${utc(info.expiredTime)}` : ''
  const name = info ? `“${info.name}”` : 'Pasted token'
  const expiresAt = info ? new Date(info.expiredTime) : null
  const credential: CredentialStatus = {
    kind: TOKEN_KIND,
    label: info ? `Access token “${info.name}”` : 'Pasted access token',
    status: state === 'accepted' ? 'ok' : state === 'refused' ? 'needs-attention' : 'unknown',
    ...(expiresAt !== null && !Number.isNaN(expiresAt.getTime()) ? { expiresAt: expiresAt.toISOString() } : {}),
  }
  if (state === 'refused') {
    const dead = `${settings.host} no longer accepts this token (it expired or was deleted). Paste or create a new one.`
    profile.accessToken = `Needs attention — ${dead}`
    credential.message = dead
    ctx.logger.warn('teable.token.refused', { host: settings.host })
  } else if (state === 'unknown' && known?.accessToken !== undefined) {
    profile.accessToken = known.accessToken
    credential.message = `Could not ask ${settings.host} about this token just now.`
  } else {
    profile.accessToken = `${name}${expiry} — for ${TOKEN_CAN}${info ? ` (scopes: ${info.scopes.join(', ')})` : ''}`
    credential.message = state === 'accepted' ? `For ${TOKEN_CAN}${info ? ` (scopes: ${info.scopes.join(', ')})` : ''}.` : `Could not ask ${settings.host} about this token just now.`
  }
  return { profile, credentials: [credential] }
}
