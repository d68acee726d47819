/** What every route handler shares: the configuration, the tables, the outbox, and issuing sessions. */
import type { IncomingMessage } from 'node:http'
import { ApiError, forbidden } from './errors.ts'
import { signAccessToken, verifyJwt } from './jwt.ts'
import type { SessionRow, Store, UserRow } from './store.ts'
import type { Mail, Sms } from './types.ts'

export interface Config {
  jwtExpSeconds: number
  reuseIntervalSeconds: number
  autoconfirm: boolean
  anonymousSignIns: boolean
  phone: boolean
  passwordMinLength: number
  requireCurrentPassword: boolean
  requireReauthentication: boolean
  reauthenticationAfterSeconds: number
  secureEmailChange: boolean
  manualLinking: boolean
  /** GOTRUE_MFA_PHONE_ENROLL_ENABLED / _VERIFY_ENABLED (opt-in, default off). */
  mfaPhone: boolean
  emailsPerHour: number
  otpExpSeconds: number
  flowStateSeconds: number
  /** GOTRUE_MAILER_OTP_LENGTH / GOTRUE_SMS_OTP_LENGTH. */
  otpLength: number
  /** Minimum seconds between two emails of a kind to one user (GOTRUE_SMTP_MAX_FREQUENCY, 60 s). */
  maxFrequencySeconds: number
  /** GOTRUE_EXTERNAL_EMAIL_ENABLED. */
  email: boolean
  /** GOTRUE_DISABLE_SIGNUP. */
  disableSignup: boolean
  /** GOTRUE_EXTERNAL_KEYCLOAK_*: the realm's URL and a confidential client. */
  keycloak: { url: string; clientId: string; secret: string } | undefined
}

export interface App {
  config: Config
  store: Store
  secret: Uint8Array
  url: string
  now: () => number
  mails: Mail[]
  texts: Sms[]
  issued: string[]
  onMail: ((mail: Mail) => void) | undefined
  onSms: ((sms: Sms) => void) | undefined
  /** When each user last got each kind of email (for the 60-second rule). */
  lastSent: Map<string, number>
}

export function sendMail(app: App, mail: Omit<Mail, 'at'>): void {
  const sent: Mail = { ...mail, at: app.now() }
  app.mails.push(sent)
  app.onMail?.(sent)
}

export function sendSms(app: App, phone: string, otp: string): void {
  const sms: Sms = { phone, otp, at: app.now() }
  app.texts.push(sms)
  app.onSms?.(sms)
}

export function userJson(user: UserRow): Record<string, unknown> {
  const identities = user.identities.map((identity) => ({
    identity_id: identity.identityId,
    id: identity.providerId,
    user_id: user.id,
    identity_data: identity.data,
    provider: identity.provider,
    // NewIdentity: signed in with when it is made.
    last_sign_in_at: identity.createdAt,
    created_at: identity.createdAt,
    updated_at: identity.createdAt,
    email: typeof identity.data.email === 'string' ? identity.data.email : undefined,
  }))
  const providers = [...new Set(identities.map((identity) => identity.provider))]
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    ...(user.emailConfirmedAt === null ? {} : { email_confirmed_at: user.emailConfirmedAt }),
    phone: user.phone,
    ...(user.phoneConfirmedAt === null ? {} : { phone_confirmed_at: user.phoneConfirmedAt }),
    ...(user.emailConfirmedAt === null && user.phoneConfirmedAt === null ? {} : { confirmed_at: user.emailConfirmedAt ?? user.phoneConfirmedAt }),
    ...(user.emailChange === null ? {} : { new_email: user.emailChange.address }),
    ...(user.phoneChange === null ? {} : { new_phone: user.phoneChange.phone }),
    ...(user.lastSignInAt === null ? {} : { last_sign_in_at: user.lastSignInAt }),
    ...Object.fromEntries(Object.entries(user.sentAt).map(([kind, at]) => [`${kind}_sent_at`, at])),
    app_metadata: user.isAnonymous && providers.length === 0 ? {} : { provider: providers[0] ?? 'email', providers },
    user_metadata: user.userMetadata,
    identities,
    ...(user.factors.length === 0
      ? {}
      : { factors: user.factors.map((factor) => ({ id: factor.id, friendly_name: factor.friendly_name, factor_type: factor.factor_type, status: factor.status, created_at: factor.created_at, updated_at: factor.updated_at, phone: factor.phone, last_challenged_at: factor.lastChallengedAt === null ? null : new Date(factor.lastChallengedAt).toISOString() })) }),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    is_anonymous: user.isAnonymous,
  }
}

/** An AccessTokenResponse for this session: a new access token, with the given refresh token. */
export async function tokenResponse(app: App, user: UserRow, session: SessionRow, refreshToken: string): Promise<Record<string, unknown>> {
  const iat = Math.floor(app.now() / 1000)
  const exp = iat + app.config.jwtExpSeconds
  const accessToken = await signAccessToken(
    app.secret,
    app.url,
    {
      sub: user.id,
      email: user.email,
      phone: user.phone,
      app_metadata: userJson(user).app_metadata as Record<string, unknown>,
      user_metadata: user.userMetadata,
      role: 'authenticated',
      aal: session.aal,
      // Newest first, as Supabase Auth lists them (models/sessions.go, CalculateAALAndAMR).
      amr: [...session.amr].sort((a, b) => b.timestamp - a.timestamp),
      session_id: session.id,
      is_anonymous: user.isAnonymous,
    },
    iat,
    exp,
  )
  app.issued.push(accessToken, refreshToken)
  return { access_token: accessToken, token_type: 'bearer', expires_in: app.config.jwtExpSeconds, expires_at: exp, refresh_token: refreshToken, user: userJson(user) }
}

/** A new session with its first refresh token, answered as a sign-in. */
export async function signIn(app: App, user: UserRow, method: string): Promise<Record<string, unknown>> {
  app.store.touch(user)
  user.lastSignInAt = user.updatedAt
  const session = app.store.newSession(user.id, method)
  const refresh = app.store.newRefreshToken(session.id, null)
  return tokenResponse(app, user, session, refresh.token)
}

/** A sign-in's session as the implicit flow hands it over, in the fragment of the address it redirects to. */
export function implicitFlowFields(session: Record<string, unknown>): Record<string, string> {
  return {
    access_token: String(session.access_token),
    expires_at: String(session.expires_at),
    expires_in: String(session.expires_in),
    refresh_token: String(session.refresh_token),
    token_type: 'bearer',
  }
}

export interface Authenticated {
  user: UserRow
  session: SessionRow | undefined
  claims: Record<string, unknown>
}

/** requireAuthentication (internal/api/auth.go): a Bearer JWT whose user and session still exist. */
export async function authenticate(app: App, req: IncomingMessage): Promise<Authenticated> {
  const header = req.headers.authorization ?? ''
  const match = /^bearer (\S+)$/i.exec(header)
  if (match === null) throw new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  const claims = await verifyJwt(app.secret, match[1] ?? '', app.now())
  if (claims === null) throw forbidden('bad_jwt', 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired')
  if (typeof claims.sub !== 'string' || claims.sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim')
  const user = app.store.users.get(claims.sub)
  if (user === undefined) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist')
  let session: SessionRow | undefined
  if (typeof claims.session_id === 'string' && claims.session_id !== '') {
    session = app.store.sessions.get(claims.session_id)
    if (session === undefined) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist')
  }
  if (user.banned) throw forbidden('user_banned', 'User is banned')
  return { user, session, claims }
}

export function verifiedFactors(user: UserRow): number {
  return user.factors.filter((factor) => factor.status === 'verified').length
}
