/**
 * A protocol-faithful PocketBase / BosBase auth server on 127.0.0.1 for tests, the end-to-end suite
 * and `npm run demo`: the `users` and `_superusers` auth collections with password, OTP, MFA and
 * OAuth2 sign-in (against an upstream OpenID Connect server), refresh, password reset, verification,
 * email change, impersonation, the record routes a profile screen uses (with avatar uploads), and
 * an outbox in place of email. The wire details and traps it reproduces were read from
 * PocketBase's and BosBase's Go source (apis/record_auth*.go); `mode` picks the server (see
 * flavor.ts for where they differ). It logs nothing.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App } from './app.ts'
import { demoPocketBaseSuperusers, demoPocketBaseUsers } from './demo-users.ts'
import { checkSuperuserIP } from './auth-response.ts'
import { parseAuthRule } from './auth-rule.ts'
import { ApiError, notFound } from './errors.ts'
import { restoreEmulatorState, saveEmulatorState } from './persistence.ts'
import { openStateFile } from '../state-file.ts'
import { flavorOf } from './flavor.ts'
import type { Flavor } from './flavor.ts'
import { createCtx, sendError } from './http.ts'
import type { Ctx } from './http.ts'
import { RateLimiter } from './limiter.ts'
import { MfaStore } from './mfa.ts'
import { Upstream } from './oauth2.ts'
import { OtpStore } from './otp.ts'
import { Outbox } from './outbox.ts'
import { randomString, recordIds } from './random.ts'
import { checkCollectionRateLimit } from './rate-limits.ts'
import { Realtime } from './realtime.ts'
import { match } from './router.ts'
import { ROUTES } from './routes/index.ts'
import { exportRecord, Store } from './store.ts'
import type { Collection, TokenType } from './store.ts'
import { findRecordByToken } from './tokens.ts'
import type { AuthCollectionName, PocketBaseEmulator, PocketBaseEmulatorOptions } from './types.ts'
import { listenOnLoopback } from '../listen.ts'
import { closeServer } from '../close-server.ts'

export type {
  AuthCollectionName,
  EmulatorUser,
  OutboxMessage,
  PocketBaseEmulator,
  PocketBaseEmulatorOptions,
  PocketBaseMode,
} from './types.ts'

/** PocketBase's fixed ids of its two system auth collections. */
const USERS_COLLECTION_ID = '_pb_users_auth_'
const SUPERUSERS_COLLECTION_ID = 'pbc_3142635823'
const SUPERUSERS_TOKEN_SECONDS = 86400

export async function startPocketBaseEmulator(options: PocketBaseEmulatorOptions = {}): Promise<PocketBaseEmulator> {
  const mode = options.mode ?? 'pocketbase'
  const flavor = flavorOf(mode)
  const now = options.now ?? Date.now
  const upstream =
    options.upstream === undefined
      ? undefined
      : new Upstream({ name: 'oidc', displayName: 'OIDC', ...options.upstream })
  const [users, superusers] = collectionsFor(options, flavor, upstream !== undefined)
  const ids = recordIds(flavor.uuidRecordIds, now)
  const store = new Store([users, superusers], now, ids)
  const otps = new OtpStore(ids)
  const mfas = new MfaStore(ids)
  store.onPasswordChange((record) => mfas.deleteAllOf(record))
  store.onTokenKeyChange((record) => otps.deleteAllOf(record))
  const state = options.stateFile === undefined ? null : openStateFile(options.stateFile, () => saveEmulatorState(store, [users, superusers]))
  if (state !== null && state.initial !== null) {
    restoreEmulatorState(store, [users, superusers], state.initial)
  } else {
    for (const user of options.users ?? demoPocketBaseUsers(mode)) store.create(users, user)
    for (const user of options.superusers ?? demoPocketBaseSuperusers(mode)) store.create(superusers, user)
  }
  state?.save()

  const app: App = {
    flavor,
    store,
    outbox: new Outbox(options.onMail),
    otps,
    mfas,
    ids,
    limiter: new RateLimiter(now),
    realtime: new Realtime(),
    upstream,
    now,
    superuserStaticTokenSeconds: flavor.staticSignInTokens ? options.superuserTokenDurationSeconds : undefined,
    suppressedUntil: new Map(),
    issuedTokens: [],
    superuserIPs: options.superuserIPs ?? [],
    rateLimits: options.rateLimits ?? [],
    refusesStaticRefresh: options.refusesStaticRefresh === true,
    url: '',
  }
  const requests: { method: string; path: string; status: number }[] = []
  const server = createServer((request, response) => {
    handle(app, request, response, (entry) => {
      requests.push(entry)
      // Anything but a read may have changed a record (a password, a tokenKey, a profile).
      if (entry.method !== 'GET') state?.changed()
    }).catch(() => {
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })
  app.url = await listenOnLoopback(server, options.port)

  const collectionNamed = (name: AuthCollectionName): Collection => (name === 'users' ? users : superusers)
  return {
    url: app.url,
    mode,
    outbox: app.outbox,
    setPassword: (collection, email, password) => {
      const record = store.findByEmail(collectionNamed(collection), email)
      if (record === undefined) throw new Error(`No ${collection} record has the email ${email}.`)
      store.update(record, { password })
    },
    user: (collection, email) => {
      const record = store.findByEmail(collectionNamed(collection), email)
      return record === undefined ? undefined : exportRecord(record, true)
    },
    issuedTokens: () => [...app.issuedTokens],
    requests: () => requests.map((entry) => ({ ...entry })),
    stop: () => closeServer(server),
  }
}

function collectionsFor(options: PocketBaseEmulatorOptions, flavor: Flavor, hasUpstream: boolean): [Collection, Collection] {
  const methods = options.methods ?? {}
  const otp = { durationSeconds: options.otpDurationSeconds ?? 180, length: options.otpLength ?? 8 }
  const mfaDurationSeconds = options.mfaDurationSeconds ?? flavor.mfaDurationSeconds
  // PocketBase's superusers have password sign-in only; a second method comes with MFA for a superuser marked `mfa`.
  const superuserMfa = (options.superusers ?? demoPocketBaseSuperusers(options.mode ?? 'pocketbase')).some((user) => user.mfa === true)
  const users: Collection = {
    id: USERS_COLLECTION_ID,
    name: 'users',
    authTokenSeconds: options.tokenDurationSeconds ?? flavor.usersTokenSeconds,
    secrets: newSecrets(),
    password: { enabled: methods.password ?? true, identityFields: ['email'] },
    otp: { enabled: methods.otp ?? true, ...otp },
    mfa: { enabled: methods.mfa ?? true, durationSeconds: mfaDurationSeconds },
    oauth2: { enabled: (methods.oauth2 ?? true) && hasUpstream },
    authRule: parseAuthRule(options.authRule ?? ''),
    superusersOnly: options.superusersOnlyRules ?? [],
  }
  const superusers: Collection = {
    id: SUPERUSERS_COLLECTION_ID,
    name: '_superusers',
    authTokenSeconds: (flavor.staticSignInTokens ? undefined : options.superuserTokenDurationSeconds) ?? SUPERUSERS_TOKEN_SECONDS,
    secrets: newSecrets(),
    password: { enabled: true, identityFields: ['email'] },
    otp: { enabled: superuserMfa, ...otp },
    mfa: { enabled: superuserMfa, durationSeconds: mfaDurationSeconds },
    oauth2: { enabled: false },
    authRule: [],
    superusersOnly: ['list', 'view', 'update'],
  }
  return [users, superusers]
}

function newSecrets(): Record<TokenType, string> {
  return { auth: randomString(50), passwordReset: randomString(50), verification: randomString(50), emailChange: randomString(50), file: randomString(50) }
}

async function handle(app: App, request: IncomingMessage, response: ServerResponse, log: (entry: { method: string; path: string; status: number }) => void): Promise<void> {
  const ctx = createCtx(request, response, (status) => {
    log({ method: ctx.method, path: ctx.url.pathname, status })
  })
  try {
    const found = match(ROUTES, ctx.method, ctx.url.pathname)
    if (found === undefined) throw notFound()
    ctx.params = found.params
    loadAuth(app, ctx)
    checkSuperuserIP(app, ctx, ctx.auth)
    // An unknown collection is the route's own 404 ("Missing or invalid collection context." on the
    // auth routes, "Missing collection context." on the record routes).
    const tags = found.route.rateLimitTags
    const collection = tags === undefined ? undefined : app.store.collection(ctx.params.collection ?? '')
    if (tags !== undefined && collection !== undefined) checkCollectionRateLimit(app, ctx, collection, found.route.path, tags)
    await found.route.handler(app, ctx)
  } catch (error) {
    if (response.headersSent) {
      response.end()
      return
    }
    sendError(ctx, error instanceof ApiError ? error : new ApiError(500, 'Something went wrong while processing your request.'))
  }
}

/** loadAuthToken: an invalid or expired token is not an error, the request is simply a guest's. */
function loadAuth(app: App, ctx: Ctx): void {
  ctx.token = tokenOf(app.flavor, ctx)
  ctx.auth = ctx.token === '' ? undefined : findRecordByToken(app.store, ctx.token, 'auth', app.now())
}

function tokenOf(flavor: Flavor, ctx: Ctx): string {
  const header = ctx.req.headers.authorization ?? ''
  const prefix = header.slice(0, 7)
  if (header.length > 7 && (flavor.bearerCaseSensitive ? prefix === 'Bearer ' : prefix.toLowerCase() === 'bearer ')) return header.slice(7)
  if (header !== '' || !flavor.tokenFromQueryAndCookie) return header
  const fromQuery = ctx.url.searchParams.get('token') ?? ''
  if (fromQuery !== '') return fromQuery
  return tokenFromCookie(ctx.req.headers.cookie ?? '')
}

/** BosBase's `pb_auth` cookie: URL-encoded JSON `{token, …}` (what the JS SDK's exportToCookie writes). */
function tokenFromCookie(cookies: string): string {
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name !== 'pb_auth') continue
    try {
      const parsed: unknown = JSON.parse(decodeURIComponent(rest.join('=')))
      const token = typeof parsed === 'object' && parsed !== null ? (parsed as { token?: unknown }).token : undefined
      return typeof token === 'string' ? token : ''
    } catch {
      return ''
    }
  }
  return ''
}
