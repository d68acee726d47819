/** Everything the route handlers share: the mode, the stores, the clock, and how tokens are minted. */
import { HUNDRED_YEARS_SECONDS } from './flavor.ts'
import type { Flavor } from './flavor.ts'
import type { RateLimiter } from './limiter.ts'
import type { MfaStore } from './mfa.ts'
import type { Upstream } from './oauth2.ts'
import type { OtpStore } from './otp.ts'
import type { Outbox } from './outbox.ts'
import type { RecordIds } from './random.ts'
import type { RateLimitRule } from './rate-limits.ts'
import type { Realtime } from './realtime.ts'
import type { AuthRecord, Store } from './store.ts'
import { issueToken } from './tokens.ts'

export interface App {
  flavor: Flavor
  store: Store
  outbox: Outbox
  otps: OtpStore
  mfas: MfaStore
  /** Record ids in the server's form (also of OTPs and MFA sessions). */
  ids: RecordIds
  limiter: RateLimiter
  realtime: Realtime
  upstream: Upstream | undefined
  now(): number
  /** BosBase's PB_SUPERUSER_STATIC_TOKEN_DURATION (seconds), if set. */
  superuserStaticTokenSeconds: number | undefined
  /** PocketBase's app store keys that suppress a resent email, with when they lapse (ms). */
  suppressedUntil: Map<string, number>
  /** Every auth token handed out. */
  issuedTokens: string[]
  /** Settings.SuperuserIPs: when not empty, superusers authenticate only from these addresses. */
  superuserIPs: string[]
  /** auth-refresh refuses a non-refreshable token with 403, as PocketBase before 0.29 did. */
  refusesStaticRefresh: boolean
  /** Settings.RateLimits.Rules, when turned on (empty: off, PocketBase's default). */
  rateLimits: readonly RateLimitRule[]
  /** http://127.0.0.1:<port>, known once listening. */
  url: string
}

/** The token a sign-in or refresh hands out: the collection's refreshable token, or BosBase's static 100-year one. */
export function signInToken(app: App, record: AuthRecord): string {
  if (!app.flavor.staticSignInTokens) {
    return issueToken(record, 'auth', record.collection.authTokenSeconds, app.now(), { refreshable: true })
  }
  const superuserOverride = record.collection.name === '_superusers' ? app.superuserStaticTokenSeconds : undefined
  return issueToken(record, 'auth', superuserOverride ?? HUNDRED_YEARS_SECONDS, app.now(), { refreshable: false })
}

/** NewStaticAuthToken: non-refreshable; 0 seconds falls back to the collection's token duration. */
export function staticToken(app: App, record: AuthRecord, seconds: number): string {
  return issueToken(record, 'auth', seconds > 0 ? seconds : record.collection.authTokenSeconds, app.now(), { refreshable: false })
}

export function isSuppressed(app: App, key: string): boolean {
  return (app.suppressedUntil.get(key) ?? 0) > app.now()
}

export function suppress(app: App, key: string, seconds: number): void {
  app.suppressedUntil.set(key, app.now() + seconds * 1000)
}
