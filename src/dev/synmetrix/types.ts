/** The public option and result types of the hasura-backend-plus emulator (re-exported by server.ts). */

export interface EmulatorUser {
  id?: string
  email: string
  /** Absent for a passwordless account (one made by a magic-link registration). */
  password?: string
  displayName?: string
  active?: boolean
  /** The account's roles (default: the server's default allowed roles). */
  allowedRoles?: string[]
  defaultRole?: string
  /** A base32 TOTP secret: MFA is on for this account. */
  otpSecret?: string
}

/** HBP's environment, with Synmetrix's values as the defaults (see settings.ts). */
export interface HbpSettings {
  /** JWT_EXPIRES_IN, in minutes (Synmetrix 10800 = 7.5 days; HBP's own default 15). */
  jwtExpiresInMinutes: number
  /** JWT_REFRESH_EXPIRES_IN, in minutes; HBP counts it in whole days (default 43200 = 30 days). */
  refreshExpiresInMinutes: number
  /** JWT_CLAIMS_NAMESPACE: 'hasura' on Synmetrix, 'https://hasura.io/jwt/claims' by default. */
  claimsNamespace: string
  /** JWT_ALGORITHM: HS256 (Synmetrix) signs with JWT_KEY; RS256 signs with a key pair and publishes it at /auth/jwks. */
  jwtAlgorithm: 'HS256' | 'RS256'
  /** JWT_KEY (HS256). */
  jwtKey: string
  autoActivateNewUsers: boolean
  verifyEmails: boolean
  magicLinkEnabled: boolean
  /**
   * ANONYMOUS_USERS_ENABLED (HBP default false): POST /auth/login first checks the body against a
   * schema that knows only `anonymous`, `email` and `password`, so a `cookie` key is a 400.
   */
  anonymousUsersEnabled: boolean
  emailsEnabled: boolean
  lostPasswordEnabled: boolean
  changeEmailEnabled: boolean
  mfaEnabled: boolean
  minPasswordLength: number
  defaultUserRole: string
  defaultAllowedUserRoles: string[]
  allowedUserRoles: string[]
  /** OTP_ISSUER. */
  otpIssuer: string
  /** REDIRECT_URL_SUCCESS; '' = not set (activation then answers 500). Default: the server's /callback. */
  redirectUrlSuccess: string | null
  /**
   * REDIRECT_URL_ERROR; null = not set (HBP's default). When set, an activation or registration link
   * whose ticket is unknown, used or expired redirects there (302, no token) instead of answering 401.
   */
  redirectUrlError: string | null
  /** express-rate-limit (production only): MAX_REQUESTS per TIME_FRAME ms; null = not production, no limiter. */
  rateLimit: { max: number; windowMs: number } | null
}

export interface HbpEmulatorOptions extends Partial<HbpSettings> {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Keep the server's lasting state in this file, so its sessions survive a restart (the demo). */
  stateFile?: string
  /** Default: the demo users. */
  users?: EmulatorUser[]
  /** Milliseconds clock (default Date.now): token expiry, ticket expiry, TOTP codes, the limiter window. */
  now?: () => number
  onMail?: (message: OutboxMessage) => void
}

export interface OutboxMessage {
  to: string
  /** HBP's email templates. */
  kind: 'magic-link' | 'activate-account' | 'lost-password' | 'change-email' | 'notify-email-change'
  subject: string
  /** The link the email carries, when it carries one. */
  link?: string
  /** The token or ticket in the email (HBP also puts it in an x-token / x-ticket header). */
  token?: string
  at: number
}

export interface HbpEmulator {
  /** http://127.0.0.1:<port>; HBP is under /auth, as behind Synmetrix's nginx. */
  url: string
  settings: HbpSettings
  outbox: { messages(): OutboxMessage[]; last(to: string, kind?: OutboxMessage['kind']): OutboxMessage | undefined; clear(): void }
  /** The account's state as the database has it (no password hash). */
  account(email: string): { id: string; active: boolean; mfaEnabled: boolean; otpSecret: string | null; email: string } | undefined
  /** Simulates a change made elsewhere (another device, an administrator). */
  setPassword(email: string, password: string): void
  /** Live refresh tokens of an account. */
  refreshTokensOf(email: string): string[]
  /** Every JWT and refresh token handed out, and every ticket and OTP secret made (the leak checks use these). */
  issuedSecrets(): string[]
  /** Every request answered; `path` without the query (the query may carry a refresh token). */
  requests(): { method: string; path: string; status: number }[]
  /**
   * Holds every refresh between reading the token's row and rotating it, until released: lets a test
   * line up two refreshes of one token, which then both succeed (HBP has no reuse detection).
   */
  holdRefreshes(): { waiting(): number; release(): void }
  stop(): Promise<void>
}
