/** The public option and result types of the Supabase Auth emulator (re-exported by server.ts). */

export interface EmulatorUser {
  id?: string
  email?: string
  phone?: string
  password: string
  name?: string
  /** Default true: the address (or phone) is confirmed. */
  confirmed?: boolean
  /** A verified TOTP factor with this base32 secret (the demo prints it). */
  totpSecret?: string
  banned?: boolean
}

export interface SupabaseEmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Keep the server's lasting state in this file, so its sessions survive a restart (the demo). */
  stateFile?: string
  /** HS256 secret the access tokens (and the anon / service_role keys) are signed with. */
  jwtSecret?: string
  /** GOTRUE_JWT_EXP, default 3600. */
  jwtExpSeconds?: number
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL, default 0. */
  reuseIntervalSeconds?: number
  /** GOTRUE_MAILER_AUTOCONFIRM, default false (sign-up sends a confirmation). */
  autoconfirm?: boolean
  /** GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED, default true. */
  anonymousSignIns?: boolean
  /** GOTRUE_EXTERNAL_PHONE_ENABLED, default true (texts go to `onSms`). */
  phone?: boolean
  /** GOTRUE_PASSWORD_MIN_LENGTH, default 6. */
  passwordMinLength?: number
  /** GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD, default false. */
  requireCurrentPassword?: boolean
  /** Password changes need a reauthentication nonce when the session is older than this (the server's rule: 24 h). */
  reauthenticationAfterSeconds?: number
  /** GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_REAUTHENTICATION, default false. */
  requireReauthentication?: boolean
  /** GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED, default true: both addresses confirm. */
  secureEmailChange?: boolean
  /** GOTRUE_SMTP_MAX_FREQUENCY in seconds, default 60. */
  maxFrequencySeconds?: number
  /** GOTRUE_SECURITY_MANUAL_LINKING_ENABLED, default false (linking and unlinking identities answer 404). */
  manualLinking?: boolean
  /** GOTRUE_MFA_PHONE_ENROLL_ENABLED and GOTRUE_MFA_PHONE_VERIFY_ENABLED, default false (phone factors are opt-in). */
  mfaPhone?: boolean
  /** GOTRUE_EXTERNAL_EMAIL_ENABLED, default true. */
  email?: boolean
  /** GOTRUE_DISABLE_SIGNUP, default false. */
  disableSignup?: boolean
  /** GOTRUE_EXTERNAL_KEYCLOAK_*: a Keycloak realm's URL (http://127.0.0.1:<port>/realms/<realm>) and a confidential client. */
  keycloak?: { url: string; clientId: string; secret: string }
  /** Emails per hour (GOTRUE_RATE_LIMIT_EMAIL_SENT); default unlimited. */
  emailsPerHour?: number
  users?: EmulatorUser[]
  /** Milliseconds clock (default Date.now). */
  now?: () => number
  onMail?: (message: Mail) => void
  onSms?: (message: Sms) => void
}

/** An email as the server sends it: the code and the link are in the text, as in GoTrue's default templates. */
export interface Mail {
  to: string
  kind: 'confirmation' | 'magiclink' | 'recovery' | 'email_change' | 'reauthentication' | 'invite'
  subject: string
  text: string
  at: number
}

export interface Sms {
  phone: string
  otp: string
  at: number
}

export interface SupabaseEmulator {
  /** http://127.0.0.1:<port> (the Auth root, as a self-hosted server). */
  url: string
  anonKey: string
  serviceRoleKey: string
  mails(): Mail[]
  texts(): Sms[]
  /** Every access and refresh token handed out. */
  issuedTokens(): string[]
  /** Every request answered; `path` without the query. */
  requests(): { method: string; path: string; status: number }[]
  stop(): Promise<void>
}
