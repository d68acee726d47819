/**
 * Where BosBase (a PocketBase fork) behaves differently from upstream PocketBase on the wire, in
 * one place, so the routes read `flavor.x` instead of comparing mode names.
 */
import type { PocketBaseMode } from './types.ts'

export const HUNDRED_YEARS_SECONDS = 100 * 365 * 24 * 60 * 60

export interface Flavor {
  mode: PocketBaseMode
  /** Shown in emails. */
  appName: string
  /** BosBase signs every sign-in token as a static (non-refreshable) 100-year token, ignoring the collection's duration. */
  staticSignInTokens: boolean
  /** Default lifetime of an MFA session. */
  mfaDurationSeconds: number
  /** Lifetime of the emailed verification token. */
  verificationTokenSeconds: number
  /** Default `authToken.duration` of `users` (what BosBase's impersonate with duration 0 falls back to). */
  usersTokenSeconds: number
  /** BosBase matches the `Bearer ` prefix case-sensitively; PocketBase does not. */
  bearerCaseSensitive: boolean
  /** BosBase also reads the token from `?token=` and from a `pb_auth` cookie. */
  tokenFromQueryAndCookie: boolean
  /** PocketBase sets a random password on an unverified account that an OTP verifies, when MFA does not apply. */
  otpVerifySetsRandomPassword: boolean
  /** PocketBase sets a random password in confirm-verification when password auth is off. */
  verificationSetsRandomPasswordWithoutPasswordAuth: boolean
  /** BosBase requires `redirectURL` on auth-with-oauth2. */
  oauth2RequiresRedirectURL: boolean
  /** PocketBase lists a `logo` for each OAuth2 provider in auth-methods. */
  providerLogo: boolean
  /** PocketBase checks that the browser reaching /api/oauth2-redirect has the realtime client's IP. */
  oauth2RedirectChecksIp: boolean
  /** BosBase's confirm-email-change rejects an already registered new email before it checks the token. */
  emailChangeChecksTakenEmailFirst: boolean
  /** PocketBase (since 0.38) has a superuser IP allow-list; BosBase has no such setting. */
  superuserIPs: boolean
  /** PocketBase's "Login from a new location" email says when, from where and with what (since 0.33); BosBase's does not. */
  loginAlertInfo: boolean
  /** BosBase keeps records in PostgreSQL: a rule comparing a bool field with true/false fails (see auth-rule.ts). */
  postgres: boolean
  /**
   * A record saved with a taken unique value (an email address) fails on the table's unique index;
   * PocketBase names the field from SQLite's error, BosBase cannot from PostgreSQL's and answers
   * only "Failed to update record." (core/validators/db.go NormalizeUniqueIndexError).
   */
  namesUniqueFields: boolean
  /** BosBase's record ids (also of OTPs and MFA sessions) are UUIDv7s; PocketBase's are 15 characters a-z0-9. */
  uuidRecordIds: boolean
}

export function flavorOf(mode: PocketBaseMode): Flavor {
  const pocketbase = mode === 'pocketbase'
  return {
    mode,
    appName: pocketbase ? 'PocketBase' : 'BosBase',
    staticSignInTokens: !pocketbase,
    mfaDurationSeconds: pocketbase ? 600 : 1800,
    verificationTokenSeconds: pocketbase ? 86400 : 259200,
    usersTokenSeconds: pocketbase ? 432000 : 604800,
    bearerCaseSensitive: !pocketbase,
    tokenFromQueryAndCookie: !pocketbase,
    otpVerifySetsRandomPassword: pocketbase,
    verificationSetsRandomPasswordWithoutPasswordAuth: pocketbase,
    oauth2RequiresRedirectURL: !pocketbase,
    providerLogo: pocketbase,
    oauth2RedirectChecksIp: pocketbase,
    emailChangeChecksTakenEmailFirst: !pocketbase,
    superuserIPs: pocketbase,
    loginAlertInfo: pocketbase,
    postgres: !pocketbase,
    namesUniqueFields: pocketbase,
    uuidRecordIds: !pocketbase,
  }
}
