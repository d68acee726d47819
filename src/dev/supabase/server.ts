/**
 * A protocol-faithful Supabase Auth (GoTrue) server on 127.0.0.1 for tests and `npm run demo`: the
 * endpoints Latchkey's provider uses, written from supabase/auth's Go source (internal/api/*.go,
 * internal/tokens/service.go) and docs/providers.md §3, with its traps: rotation with reuse
 * detection and the immediate-parent rule, logout scopes (default global), PKCE flow states, the
 * versioned error shape with error_code, the obfuscated answer to signing up an existing address,
 * MFA (TOTP) with aal, the 60-second email interval, secure email change (each code only with its
 * own address, spent once used but for the first of a PKCE change), a password change ending every
 * code sent before it, and the user object as the server shows it after each of these (identities
 * in the order they were made, user_metadata as sign-up made it, the *_sent_at times). Emails and
 * texts are kept (and handed to `onMail` / `onSms`) instead of being sent. It logs nothing.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App } from './app.ts'
import { DEMO_SUPABASE_USERS } from './demo-users.ts'
import { ApiError } from './errors.ts'
import { createCtx, sendError } from './http.ts'
import { signApiKey } from './jwt.ts'
import { createUser, health, settings, updateUser } from './routes/admin.ts'
import { authorize, callback, linkIdentity } from './routes/external.ts'
import { challenge, enroll, unenroll, verify } from './routes/factors.ts'
import { otp, recover, resend, signup } from './routes/otp.ts'
import { token } from './routes/token.ts'
import { getUser, logout, putUser, reauthenticate, unlinkIdentity } from './routes/user.ts'
import { verifyGet, verifyPost } from './routes/verify.ts'
import { Store } from './store.ts'
import type { IdentityRow, UserRow } from './store.ts'
import { addAdminIdentities } from './identities.ts'
import { keepState, refill } from '../state-file.ts'
import type { SupabaseEmulator, SupabaseEmulatorOptions } from './types.ts'
import { closeServer } from '../close-server.ts'

export type { EmulatorUser, Mail, Sms, SupabaseEmulator, SupabaseEmulatorOptions } from './types.ts'

/**
 * A user from a state file an older emulator saved: its email and phone identities (identity_id
 * kept) and its OAuth ones, in the one list users have now; updated when it was made; no send times.
 */
function fromOlderState(user: UserRow): void {
  const older = user as Partial<UserRow> & { identityIds?: { email: string; phone: string }; externalIdentities?: IdentityRow[] }
  older.updatedAt ??= user.createdAt
  older.sentAt ??= {}
  if (older.identities !== undefined) return
  const own = (provider: 'email' | 'phone', identityId: string | undefined): IdentityRow[] =>
    identityId === undefined || identityId === '' || (provider === 'email' ? user.email : user.phone) === ''
      ? []
      : [{ identityId, provider, providerId: user.id, data: { sub: user.id, ...(provider === 'email' ? { email: user.email } : { phone: user.phone }), email_verified: false, phone_verified: false }, createdAt: user.createdAt }]
  user.identities = [...own('email', older.identityIds?.email), ...own('phone', older.identityIds?.phone), ...(older.externalIdentities ?? [])]
  delete older.identityIds
  delete older.externalIdentities
}

type Handler = (app: App, ctx: ReturnType<typeof createCtx>) => Promise<void> | void

const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/health$/, health],
  ['GET', /^\/settings$/, settings],
  ['POST', /^\/signup$/, signup],
  ['POST', /^\/token$/, token],
  ['POST', /^\/otp$/, otp],
  ['POST', /^\/magiclink$/, otp],
  ['POST', /^\/verify$/, verifyPost],
  ['GET', /^\/verify$/, verifyGet],
  ['POST', /^\/recover$/, recover],
  ['POST', /^\/resend$/, resend],
  ['GET', /^\/user$/, getUser],
  ['PUT', /^\/user$/, putUser],
  ['GET', /^\/reauthenticate$/, reauthenticate],
  ['POST', /^\/logout$/, logout],
  ['GET', /^\/authorize$/, authorize],
  ['GET', /^\/callback$/, callback],
  ['GET', /^\/user\/identities\/authorize$/, linkIdentity],
  ['DELETE', /^\/user\/identities\/(?<id>[^/]+)$/, unlinkIdentity],
  ['POST', /^\/factors$/, enroll],
  ['POST', /^\/factors\/(?<id>[^/]+)\/challenge$/, challenge],
  ['POST', /^\/factors\/(?<id>[^/]+)\/verify$/, verify],
  ['DELETE', /^\/factors\/(?<id>[^/]+)$/, unenroll],
  ['POST', /^\/admin\/users$/, createUser],
  ['PUT', /^\/admin\/users\/(?<id>[^/]+)$/, updateUser],
]

export async function startSupabaseEmulator(options: SupabaseEmulatorOptions = {}): Promise<SupabaseEmulator> {
  const now = options.now ?? Date.now
  const secret = new TextEncoder().encode(options.jwtSecret ?? 'latchkey-supabase-emulator-secret-0123456789')
  const store = new Store(now)
  const app: App = {
    config: {
      jwtExpSeconds: options.jwtExpSeconds ?? 3600,
      reuseIntervalSeconds: options.reuseIntervalSeconds ?? 0,
      autoconfirm: options.autoconfirm ?? false,
      anonymousSignIns: options.anonymousSignIns ?? true,
      phone: options.phone ?? true,
      passwordMinLength: options.passwordMinLength ?? 6,
      requireCurrentPassword: options.requireCurrentPassword ?? false,
      requireReauthentication: options.requireReauthentication ?? false,
      reauthenticationAfterSeconds: options.reauthenticationAfterSeconds ?? 86400,
      secureEmailChange: options.secureEmailChange ?? true,
      manualLinking: options.manualLinking ?? false,
      mfaPhone: options.mfaPhone ?? false,
      emailsPerHour: options.emailsPerHour ?? Infinity,
      otpExpSeconds: 3600,
      flowStateSeconds: 300,
      otpLength: 6,
      maxFrequencySeconds: options.maxFrequencySeconds ?? 60,
      email: options.email ?? true,
      disableSignup: options.disableSignup ?? false,
      keycloak: options.keycloak,
    },
    store,
    secret,
    url: '',
    now,
    mails: [],
    texts: [],
    issued: [],
    onMail: options.onMail,
    onSms: options.onSms,
    lastSent: new Map(),
  }
  const at = new Date(now()).toISOString()
  for (const person of options.users ?? DEMO_SUPABASE_USERS) {
    const user = store.createUser({
      ...(person.id === undefined ? {} : { id: person.id }),
      email: person.email ?? '',
      phone: person.phone ?? '',
      password: person.password,
      emailConfirmedAt: person.email !== undefined && person.confirmed !== false ? at : null,
      phoneConfirmedAt: person.phone !== undefined && person.confirmed !== false ? at : null,
      userMetadata: person.name === undefined ? {} : { full_name: person.name },
      banned: person.banned === true,
    })
    addAdminIdentities(store, user)
    if (person.totpSecret !== undefined) {
      user.factors.push({ id: crypto.randomUUID(), friendly_name: 'Authenticator', factor_type: 'totp', status: 'verified', secret: person.totpSecret, phone: '', lastChallengedAt: null, created_at: at, updated_at: at })
    }
  }
  const changed = keepState(options.stateFile, {
    current: () => ({ users: store.users, sessions: store.sessions, refreshTokens: store.refreshTokens }),
    restore: (saved) => {
      refill(store.users, saved.users)
      for (const user of store.users.values()) fromOlderState(user)
      refill(store.sessions, saved.sessions)
      refill(store.refreshTokens, saved.refreshTokens)
    },
  })
  const requests: { method: string; path: string; status: number }[] = []
  const server = createServer((req, res) => {
    const ctx = createCtx(req, res)
    res.on('finish', changed)
    res.on('finish', () => requests.push({ method: ctx.method, path: ctx.url.pathname, status: res.statusCode }))
    void (async () => {
      try {
        for (const [method, pattern, handler] of ROUTES) {
          const found = pattern.exec(ctx.url.pathname)
          if (found === null || method !== ctx.method) continue
          ctx.params = { ...found.groups }
          await handler(app, ctx)
          return
        }
        throw new ApiError(404, 'unknown', 'Not Found')
      } catch (error) {
        if (!res.headersSent) sendError(ctx, error)
        else res.end()
      }
    })()
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  app.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  return {
    url: app.url,
    anonKey: await signApiKey(secret, 'anon'),
    serviceRoleKey: await signApiKey(secret, 'service_role'),
    mails: () => [...app.mails],
    texts: () => [...app.texts],
    issuedTokens: () => [...app.issued],
    requests: () => [...requests],
    stop: () => closeServer(server),
  }
}
