/** The public option and result types of the PocketBase / BosBase emulator (re-exported by server.ts). */

export type PocketBaseMode = 'pocketbase' | 'bosbase'

export interface EmulatorUser {
  id?: string
  email: string
  password: string
  name?: string
  verified?: boolean
  /** The collection's MFA rule matches this record (so, with MFA on, one method is not enough). */
  mfa?: boolean
  username?: string
}

export interface PocketBaseEmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Default 'pocketbase'. */
  mode?: PocketBaseMode
  /** The `users` collection's authToken.duration: PocketBase default 432000. BosBase signs 100-year tokens whatever this says. */
  tokenDurationSeconds?: number
  /** PocketBase default 86400. BosBase: 100 years unless set (its PB_SUPERUSER_STATIC_TOKEN_DURATION). */
  superuserTokenDurationSeconds?: number
  /** The `users` auth collection (default: the demo users). */
  users?: EmulatorUser[]
  /** `_superusers` (default: the demo superuser). */
  superusers?: EmulatorUser[]
  /** Auth options of `users`; all on by default, OAuth2 only when `upstream` is given. */
  methods?: { password?: boolean; otp?: boolean; mfa?: boolean; oauth2?: boolean }
  /** Default 180. */
  otpDurationSeconds?: number
  /** Default 8. */
  otpLength?: number
  /** PocketBase 600, BosBase 1800. */
  mfaDurationSeconds?: number
  /** An OpenID Connect provider configured as the collection's OAuth2 provider (a confidential client). */
  upstream?: { issuer: string; clientId: string; clientSecret: string; name?: string; displayName?: string }
  /** Milliseconds clock (default Date.now): lets tests move time for OTP/MFA expiry, token expiry and limiter windows. */
  now?: () => number
  /** The `users` collection's authRule (default '' = everyone), e.g. `verified = true`. */
  authRule?: string
  /** API rules of `users` left unset, so only superusers may use them (default none: `id = @request.auth.id`). */
  superusersOnlyRules?: ('list' | 'view' | 'update')[]
  /** The SuperuserIPs setting: superusers may authenticate only from these addresses (default: any). */
  superuserIPs?: string[]
  /**
   * Settings.RateLimits turned on with these rules (default: off, as PocketBase ships), e.g.
   * `{ label: 'users:auth', maxRequests: 2, duration: 3 }`. Superusers are never limited.
   */
  rateLimits?: { label: string; maxRequests: number; duration: number }[]
  /**
   * Answer auth-refresh with a non-refreshable (impersonate) token as PocketBase 0.23 to 0.28 did:
   * 403 "The current auth token is not refreshable." (0.29 hands the token back unchanged, as here
   * by default; pocketbase/pocketbase a9c42d0).
   */
  refusesStaticRefresh?: boolean
  /** Keep the records and token secrets in this file, so tokens and ids survive a restart (the demo). */
  stateFile?: string
  /** Called with every email as it is "sent" (the demo prints them, since nothing is really sent). */
  onMail?: (message: OutboxMessage) => void
}

export interface OutboxMessage {
  to: string
  kind: 'otp' | 'password-reset' | 'verification' | 'email-change' | 'login-alert'
  subject: string
  text: string
  token?: string
  otp?: string
  at: number
}

export type AuthCollectionName = 'users' | '_superusers'

export interface PocketBaseEmulator {
  /** http://127.0.0.1:<port> */
  url: string
  mode: PocketBaseMode
  outbox: { messages(): OutboxMessage[]; last(to: string, kind: OutboxMessage['kind']): OutboxMessage | undefined; clear(): void }
  /** Simulates a change made elsewhere (admin UI, another device): sets the password and rotates tokenKey. */
  setPassword(collection: AuthCollectionName, email: string, password: string): void
  /** The current record as PocketBase would show it to its owner (never the password hash or tokenKey). */
  user(collection: AuthCollectionName, email: string): Readonly<Record<string, unknown>> | undefined
  /** Every auth token handed out (tests check none leak into logs, the DOM or settings). */
  issuedTokens(): string[]
  /** Every request answered; `path` without the query. */
  requests(): { method: string; path: string; status: number }[]
  stop(): Promise<void>
}
