/** The public option and result types of the Teable emulator (re-exported by server.ts). */

export interface TeableEmulatorUser {
  email: string
  /** null: the account was made by social sign-in and has no password yet. */
  password: string | null
  name?: string
  id?: string
}

export interface TeableEmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Keep the server's lasting state in this file, so its sessions survive a restart (the demo). */
  stateFile?: string
  /** The people on the server (default: the demo users). */
  users?: readonly TeableEmulatorUser[]
  /** BACKEND_SESSION_EXPIRES_IN: the sliding session lifetime. Default 7 days. */
  sessionTtlMs?: number
  /**
   * Newer servers answer `GET /api/auth/user/me` without a live session with 200 and an anonymous
   * user; older ones with 401. Default 'anonymous'.
   */
  unknownSession?: 'anonymous' | '401'
  /** The instance setting `enableEmailVerification` (sign-up answers 422 until a code is given). Default true. */
  emailVerification?: boolean
  /** BACKEND_SIGNUP_VERIFICATION_CODE_RATE_LIMIT_SECONDS (and the other mail rates). Default 30. */
  codeResendSeconds?: number
  /**
   * How another email asked for inside that interval is refused. Newer servers (mail-sender
   * checkSendMailRateLimit) limit sign-up codes, reset emails and change-email codes per address,
   * with 429 too_many_requests and data.seconds; older ones only sign-up codes, with 400
   * "Please wait N seconds before requesting a new code". Default 'mail-rate-429'.
   */
  codeResend?: 'mail-rate-429' | 'please-wait-400'
  /**
   * TURNSTILE_SITE_KEY (with its secret): password sign-in, sign-up and sign-up codes then need a
   * Cloudflare Turnstile token that only the server's own page can get, and
   * `GET /api/admin/setting/public` names the key. Off when absent.
   */
  turnstileSiteKey?: string
  /** SIGNIN_MAX_LOGIN_ATTEMPTS / SIGNIN_ACCOUNT_LOCKOUT_MINUTES: the opt-in lockout (off when absent). */
  lockout?: { maxAttempts: number; minutes: number }
  /** MOBILE_AUTH_REDIRECT_SCHEMES. Default ['teable'] (so a loopback http redirect is refused). */
  mobileRedirectSchemes?: readonly string[]
  /**
   * A rate-limiting gateway in front of the server: at most `limit` requests per `windowMs`.
   * `reset`: how its X-RateLimit-Reset reads, Unix seconds (default, with Retry-After) or seconds
   * from now (as @nestjs/throttler and many proxies send it, without Retry-After).
   */
  gateway?: TeableGateway
  /** Milliseconds clock (default Date.now). */
  now?: () => number
  /** Called with every email as it is "sent" (the demo prints them). */
  onMail?: (message: TeableMail) => void
}

export interface TeableMail {
  to: string
  kind: 'signup-code' | 'change-email-code' | 'reset-password'
  subject: string
  text: string
  /** The code in the mail (4 digits, or the reset link's 30-character code). */
  code: string
  at: number
}

export interface TeableEmulator {
  /** http://127.0.0.1:<port> */
  url: string
  outbox: { messages(): TeableMail[]; last(to: string, kind: TeableMail['kind']): TeableMail | undefined; clear(): void }
  /** Ends every session of this user on the server (an admin, another device, a password change elsewhere). */
  endSessions(email: string): void
  /** How many live sessions the user has now. */
  liveSessions(email: string): number
  /** Sets the password as an administrator would (ends nothing by itself). */
  setPassword(email: string, password: string): void
  /** The user as the server has it (never the password). */
  user(email: string): Readonly<{ id: string; name: string; email: string; hasPassword: boolean; avatarBytes: number; notifyEmail: boolean }> | undefined
  /** The user's personal access tokens as listed by the server. */
  accessTokens(email: string): readonly { id: string; name: string; expiredTime: string; scopes: readonly string[] }[]
  /** Deletes a personal access token as the person would on the web page. */
  deleteAccessToken(email: string, id: string): void
  /** Switches the rate-limiting gateway on (or off with null). */
  setGateway(gateway: TeableGateway | null): void
  /** Changes MOBILE_AUTH_REDIRECT_SCHEMES. */
  setMobileRedirectSchemes(schemes: readonly string[]): void
  /** Every cookie, token and code the server handed out (tests check none leaks). */
  issuedSecrets(): string[]
  /** Every request answered; `path` without the query. */
  requests(): { method: string; path: string; status: number }[]
  stop(): Promise<void>
}

export interface TeableGateway {
  limit: number
  windowMs: number
  reset?: 'unix-seconds' | 'seconds-from-now'
}
