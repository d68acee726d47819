/**
 * The official PocketBase SDK, set up for a multi-account manager: one client per operation and
 * account (never shared, so one account's token can never be sent for another), no auto-cancellation
 * (it aborts a pending request when another with the same method and path starts), a deadline on
 * every request, and an auth store that only holds what the core gave it. The core keeps sessions
 * (in memory and the OS keychain); the SDK persists nothing.
 */
import { decodeJwt, type JWTPayload } from 'jose'
import PocketBase, { BaseAuthStore } from 'pocketbase'
import type { RecordService } from 'pocketbase'
import type { Session } from '../../core/sessions/session.ts'
import { httpFetch } from '../http-fetch.ts'
import type { PocketBaseSettings } from './config.ts'

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
export const TOKEN_TYPE = 'PocketBase'
/**
 * What PocketBase's "Login from a new location" email shows as the device (with the address): its
 * login alerts fingerprint the IP and the User-Agent (apis/record_helpers.go authAlert). Without it
 * the email named "node".
 */
export const USER_AGENT = 'Latchkey'

/** An in-memory auth store holding one of Latchkey's sessions' token; the SDK persists nothing. */
class SessionAuthStore extends BaseAuthStore {
  constructor(session: Session | null) {
    super()
    if (session !== null) this.save(session.accessToken, null)
  }
}

/** What a PocketBase auth token says about itself (the JWT payload, read without verifying it). */
export interface TokenClaims {
  /** Expiry, ms since the epoch; null when the token carries none. */
  expiresAt: number | null
  /** PocketBase renews only tokens marked refreshable; BosBase and impersonation tokens are not. */
  refreshable: boolean
}

/** The token's payload, read without verifying it; empty when it is not a JWT. */
function payloadOf(token: string): JWTPayload {
  try {
    return decodeJwt(token)
  } catch {
    return {}
  }
}

export function tokenClaims(token: string): TokenClaims {
  const payload = payloadOf(token)
  const exp: unknown = payload.exp
  return {
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null,
    refreshable: payload.refreshable === true,
  }
}

/** A string claim of a PocketBase token (a password-reset or email-change token's `email`, `newEmail`, `id`). */
export function tokenClaim(token: string, name: string): string | null {
  const value: unknown = payloadOf(token)[name]
  return typeof value === 'string' && value !== '' ? value : null
}

export function sessionFromToken(token: string, issuedAt: number): Session {
  const claims = tokenClaims(token)
  return {
    accessToken: token,
    // PocketBase has no refresh token: a still-valid token is exchanged for a new one.
    refreshToken: null,
    idToken: null,
    tokenType: TOKEN_TYPE,
    scopes: [],
    expiresAt: claims.expiresAt,
    issuedAt,
    isStatic: !claims.refreshable,
  }
}

export interface PocketBaseClient {
  pb: PocketBase
  /** The account's auth collection. */
  records: RecordService
}

/** The SDK's per-request `fetch` option: every request through the backends' fetch, with this deadline. */
export function pocketBaseFetch(timeoutMs: number): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init) => httpFetch(url, { ...init, timeoutMs })
}

export function pocketBaseClient(
  settings: PocketBaseSettings,
  session: Session | null,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): PocketBaseClient {
  const pb = new PocketBase(settings.url, new SessionAuthStore(session))
  pb.autoCancellation(false)
  const fetch = pocketBaseFetch(options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)
  pb.beforeSend = (url, sendOptions) => {
    // The SDK makes these options afresh for each request: given the client's signal as they are.
    sendOptions.signal = options.signal ?? null
    sendOptions.fetch = fetch
    sendOptions.headers = { ...sendOptions.headers, 'User-Agent': USER_AGENT }
    return { url, options: sendOptions }
  }
  return { pb, records: pb.collection(settings.collection) }
}
