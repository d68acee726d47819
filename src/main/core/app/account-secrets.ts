/**
 * What the keychain holds for one account: the session plus any secret part of the backend
 * configuration (a client secret). Stored as one JSON string under the account id. Checked by hand
 * rather than with a schema library: the `latchkey` command reads it on its hot path.
 */
import type { Session } from '../sessions/session.ts'
import { isObject, parseObject } from '../json-object.ts'

export interface AccountSecrets {
  session: Session | null
  config: Record<string, string>
}

export function encodeSecrets(secrets: AccountSecrets): string {
  return JSON.stringify({ v: 1, session: secrets.session, config: secrets.config })
}

/** Returns null for anything unreadable (a changed keyring backend, a damaged entry): sign in again. */
export function decodeSecrets(text: string | undefined): AccountSecrets | null {
  if (text === undefined) return null
  const parsed = parseObject(text)
  if (parsed === null || parsed.v !== 1) return null
  const config = parsed.config
  if (!isObject(config) || !Object.values(config).every((value) => typeof value === 'string')) return null
  if (parsed.session === null) return { session: null, config: { ...(config as Record<string, string>) } }
  const session = sessionOf(parsed.session)
  return session && { session, config: { ...(config as Record<string, string>) } }
}

/** The session's known fields (in their order), or null when one is missing or of another type. */
function sessionOf(value: unknown): Session | null {
  if (!isObject(value)) return null
  const { accessToken, refreshToken, idToken, tokenType, scopes, expiresAt, issuedAt, isStatic } = value
  if (typeof accessToken !== 'string' || !stringOrNull(refreshToken) || !stringOrNull(idToken) || typeof tokenType !== 'string') return null
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return null
  if (!(expiresAt === null || finite(expiresAt)) || !finite(issuedAt) || !(isStatic === undefined || typeof isStatic === 'boolean')) return null
  // exactOptionalPropertyTypes: an absent flag stays absent rather than becoming `undefined`.
  return { accessToken, refreshToken, idToken, tokenType, scopes: [...scopes], expiresAt, issuedAt, ...(isStatic === undefined ? {} : { isStatic }) }
}

function stringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string'
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}
