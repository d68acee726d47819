/**
 * `@supabase/auth-js` set up for a multi-account main process: one client per operation, whose
 * storage holds only what Latchkey gives it (this account's session, or the PKCE verifier of one
 * sign-in attempt) and is read back after the call; no timers (autoRefreshToken off), no URL
 * detection, the PKCE flow, and a deadline on every request.
 *
 * The session handed to auth-js carries a far expiry on purpose: auth-js refreshes a session that
 * expires within 90 s before any call that uses it, which would rotate the refresh token behind the
 * core's back (and lose it). Refreshing is the core's job (refresh.ts), under its single flight.
 */
import { AuthClient } from '@supabase/auth-js'
import type { GoTrueClient } from '@supabase/auth-js'
import type { Session as AuthSession, SupportedStorage, User } from '@supabase/auth-js'
import { randomUUID } from 'node:crypto'
import type { Session } from '../../core/sessions/session.ts'
import { httpFetch } from '../http-fetch.ts'
import type { SupabaseSettings } from './config.ts'

export const REQUEST_TIMEOUT_MS = 30_000
/** What auth-js is told about an access token's expiry (see above): year 2100. */
const FAR_EXPIRY_SECONDS = 4_102_444_800

/** An in-memory storage that starts with what we put in and lets us read what auth-js wrote. */
export class MemoryStorage implements SupportedStorage {
  readonly #items = new Map<string, string>()
  readonly isServer = true

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, value)
  }

  removeItem(key: string): void {
    this.#items.delete(key)
  }
}

export interface SupabaseClient {
  auth: GoTrueClient
  storage: MemoryStorage
  storageKey: string
  /** The session auth-js holds after the call (a new sign-in, an MFA step-up), or null. */
  savedSession(): AuthSession | null
}

/** A client for one operation: `account` = the account's session (its lock key), or none for a sign-in. */
export function supabaseClient(settings: SupabaseSettings, account: { key: string; session: Session; user?: User | null } | null, storage = new MemoryStorage()): SupabaseClient {
  const storageKey = `latchkey-supabase-${account?.key ?? randomUUID()}`
  if (account !== null) storage.setItem(storageKey, JSON.stringify(authSessionOf(account.session, account.user ?? null)))
  const auth = new AuthClient({
    url: settings.authUrl,
    headers: { apikey: settings.apiKey, Authorization: `Bearer ${settings.apiKey}` },
    storageKey,
    storage,
    autoRefreshToken: false,
    persistSession: true,
    detectSessionInUrl: false,
    flowType: 'pkce',
    // No `lock`: each client serves one operation on a storage of its own, so there is nothing for
    // a lock to guard (auth-js 2.x deprecates the option and warns when it is given).
    fetch: (input, init) => httpFetch(input, { ...init, timeoutMs: REQUEST_TIMEOUT_MS }),
  })
  return {
    auth,
    storage,
    storageKey,
    savedSession: () => {
      const raw = storage.getItem(storageKey)
      if (raw === null) return null
      try {
        const parsed = JSON.parse(raw) as AuthSession | { currentSession?: AuthSession }
        return 'access_token' in parsed ? parsed : (parsed.currentSession ?? null)
      } catch {
        return null
      }
    },
  }
}

function authSessionOf(session: Session, user: User | null): AuthSession {
  return {
    access_token: session.accessToken,
    refresh_token: session.refreshToken ?? '',
    token_type: 'bearer',
    expires_in: FAR_EXPIRY_SECONDS - Math.floor(Date.now() / 1000),
    expires_at: FAR_EXPIRY_SECONDS,
    user: user ?? ({ id: '', aud: 'authenticated', app_metadata: {}, user_metadata: {}, created_at: '' }),
  }
}
