/** The public option and result types of the Authing emulator (re-exported by server.ts). */

export type UdfDataType = 'STRING' | 'NUMBER' | 'DATETIME' | 'BOOLEAN' | 'OBJECT'

/** A user-defined field of the user pool (console: 用户自定义字段). */
export interface UdfDefinition {
  key: string
  label: string
  dataType: UdfDataType
}

export interface EmulatorUser {
  id?: string
  username?: string
  email?: string
  phone?: string
  /** Absent for a user who registered by phone code without one. */
  password?: string
  nickname?: string
  name?: string
  /** A TOTP secret (base32): the user has TOTP MFA turned on and a login answers 1635. */
  totpSecret?: string
  /** The recovery code of that authenticator. */
  totpRecoveryCode?: string
  /**
   * The administrator asks for a new password at the next password sign-in: 'first-login' (code
   * 1639) or 'unsafe' (2071, the password fails the pool's strength check), both through
   * resetPasswordByFirstLoginToken; 'rotation' (2058, resetPasswordByForceResetToken).
   */
  mustResetPassword?: 'first-login' | 'unsafe' | 'rotation'
  /** user-defined values by key, as JSON text (what setUdv stores). */
  udv?: Record<string, string>
}

/** A second step an app can ask of every login (Guard's MFAType: OTP, SMS, EMAIL). */
export type AppMfaPolicy = 'OTP' | 'SMS' | 'EMAIL'

/** The app's login and register tabs (public-config: loginTabs, passwordTabConfig, verifyCodeTabConfig, registerTabs). */
export interface AppMethods {
  /** 'password' and/or 'phone-code' (the verify-code tab). */
  loginTabs: string[]
  /** 'email-password' | 'username-password' | 'phone-password'. */
  passwordMethods: string[]
  /** 'phone-code' | 'email-code'. */
  verifyCodeMethods: string[]
  /** 'email' | 'username' | 'phone' (register tabs). */
  registerMethods: string[]
}

export interface AuthingEmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Keep the server's lasting state in this file, so its sessions survive a restart (the demo). */
  stateFile?: string
  userPoolId?: string
  appId?: string
  appName?: string
  users?: EmulatorUser[]
  udfs?: UdfDefinition[]
  methods?: Partial<AppMethods>
  /** The v2 token's lifetime; Authing's default is 1,209,600 s (14 days). */
  tokenSeconds?: number
  /** Verification codes live this long (Authing: 60 s for SMS). */
  codeSeconds?: number
  /** A new code for the same address only after this long. */
  resendSeconds?: number
  /** The pool's password rule: 0 any, 1 ≥ 6 chars, 2 letters and digits ≥ 6, 3 letters, digits and symbols ≥ 6. */
  passwordStrength?: 0 | 1 | 2 | 3
  /** updateEmail / updatePhone also need a code sent to the old address (console: 验证原邮箱 / 验证原手机号). */
  verifyOld?: boolean
  /**
   * The app's own second step, for every user: a login answers 1636 with the mfaToken and these
   * policies (applicationMfa) instead of a token. Empty (default): only users with an authenticator
   * get a second step (1635).
   */
  appMfa?: AppMfaPolicy[]
  /** OIDC: the app's client id (= app id on Authing) and its registered callback URLs, matched exactly. */
  redirectUris?: string[]
  /** Milliseconds clock (default Date.now). */
  now?: () => number
  /** Called with every SMS or email as it is "sent" (the demo prints them). */
  onMessage?: (message: OutboxMessage) => void
}

export interface OutboxMessage {
  channel: 'sms' | 'email'
  to: string
  /** What the code is for: the email scene, or the SMS scene the client named ('sms' when none). */
  scene: string
  code: string
  at: number
}

export interface AuthingEmulator {
  /** http://127.0.0.1:<port>: the app host (GraphQL at /graphql/v2, REST at /api/v2, OIDC at /oidc). */
  url: string
  userPoolId: string
  appId: string
  /** The password-encryption public key the server publishes at /api/v2/.well-known (PEM). */
  publicKey: string
  outbox: {
    messages(): OutboxMessage[]
    last(to: string): OutboxMessage | undefined
    clear(): void
  }
  /** The user as the server holds it now (never the password). */
  user(login: string): Readonly<Record<string, unknown>> | undefined
  /** Simulates a sign-out on another device / by an admin: every token of this user stops working. */
  logoutEverywhere(login: string): void
  /** The user's current TOTP code (tests and the demo). */
  totp(login: string): string
  /** Every token handed out (tests check none leak). */
  issuedTokens(): string[]
  /**
   * The gateway's rate limit: while set, every GraphQL and REST call answers HTTP 429 with
   * `Retry-After: <seconds>` (seconds from now); null lifts it.
   */
  rateLimit(retryAfterSeconds: number | null): void
  requests(): { method: string; path: string; status: number; operation?: string }[]
  stop(): Promise<void>
}
