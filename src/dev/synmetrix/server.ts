/**
 * A protocol-faithful hasura-backend-plus v2.7.1 (the auth server Synmetrix runs) on 127.0.0.1 for
 * tests, the end-to-end suite and `npm run demo`, with Synmetrix's settings as the defaults
 * (settings.ts). Written from HBP's source at the tag (src/routes/auth/…, src/shared/,
 * src/middlewares/auth.ts, src/errors.ts, src/limiter.ts); its traps are kept: cookie mode by default
 * (and for the string "false"), a refresh-token cookie that overrides the query, no reuse detection,
 * message-less 400s, 500s for turned-off features, logout that always says 204, jwks 501 under HS256,
 * lifetimes in minutes and `jwt_expires_in` in ms, no avatar_url, and e-mail validation that refuses
 * unknown top-level domains. Emails go to an outbox; the clock is the caller's. It logs nothing.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App } from './app.ts'
import { Boom, notFound } from './boom.ts'
import { DEMO_SYNMETRIX_USERS } from './demo-users.ts'
import type { Ctx } from './http.ts'
import { parseCookies, readJson, sendBoom, sendText } from './http.ts'
import { Jwt } from './jwt.ts'
import { clientIp, RateLimiter } from './limiter.ts'
import { Outbox } from './outbox.ts'
import { changeEmailConfirm, changeEmailDirect, changeEmailRequest, changePassword, lostPassword, mfaDisable, mfaEnable, mfaGenerate, resetPassword } from './routes/account.ts'
import { activate, magicLink, register } from './routes/register.ts'
import { login, totpLogin } from './routes/sign-in.ts'
import { jwks, logout, refresh, revoke } from './routes/token.ts'
import { SYNMETRIX_SETTINGS } from './settings.ts'
import { Store } from './store.ts'
import { keepState } from '../state-file.ts'
import { closeServer } from '../close-server.ts'
import type { HbpEmulator, HbpEmulatorOptions, HbpSettings } from './types.ts'

export type { EmulatorUser, HbpEmulator, HbpEmulatorOptions, HbpSettings, OutboxMessage } from './types.ts'

type Handler = (app: App, ctx: Ctx) => void | Promise<void>

const ROUTES: Record<string, Handler> = {
  'POST /auth/login': login,
  'POST /auth/mfa/totp': totpLogin,
  'POST /auth/register': register,
  'GET /auth/activate': activate,
  'GET /auth/magic-link': magicLink,
  'GET /auth/token/refresh': refresh,
  'POST /auth/token/revoke': revoke,
  'POST /auth/logout': logout,
  'GET /auth/jwks': jwks,
  'POST /auth/change-password': changePassword,
  'POST /auth/change-password/request': lostPassword,
  'POST /auth/change-password/change': resetPassword,
  'POST /auth/change-email': changeEmailDirect,
  'POST /auth/change-email/request': changeEmailRequest,
  'POST /auth/change-email/change': changeEmailConfirm,
  'POST /auth/mfa/generate': mfaGenerate,
  'POST /auth/mfa/enable': mfaEnable,
  'POST /auth/mfa/disable': mfaDisable,
}

export async function startHbpEmulator(options: HbpEmulatorOptions = {}): Promise<HbpEmulator> {
  const { port, users, now: clock, onMail, stateFile, ...overrides } = options
  const settings: HbpSettings = { ...SYNMETRIX_SETTINGS, ...overrides }
  const now = clock ?? Date.now
  const store = new Store(settings, now)
  for (const user of users ?? DEMO_SYNMETRIX_USERS) store.insert({ ...user, active: user.active ?? true })
  const changed = keepState(stateFile, { current: () => store.snapshot(), restore: (saved) => store.restore(saved) })
  let hold: { waiting: number; release: () => void; released: Promise<void> } | null = null
  const app: App = {
    settings,
    store,
    jwt: new Jwt(settings, now),
    outbox: new Outbox(onMail),
    now,
    url: '',
    issuedJwts: [],
    refreshGate: async () => {
      const current = hold
      if (current === null) return
      current.waiting++
      await current.released
    },
  }
  const limiter = settings.rateLimit === null ? null : new RateLimiter(settings.rateLimit, now)
  const requests: { method: string; path: string; status: number }[] = []
  const server = createServer((request, response) => {
    response.on('finish', changed)
    response.on('finish', () => requests.push({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0] ?? '/', status: response.statusCode }))
    handle(app, limiter, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  app.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  const accountOf = (email: string) => {
    const account = store.byEmail(email)
    if (account === undefined) throw new Error(`No account has the email ${email}.`)
    return account
  }
  return {
    url: app.url,
    settings,
    outbox: app.outbox,
    account: (email) => {
      const account = store.byEmail(email)
      return account === undefined
        ? undefined
        : { id: account.userId, active: account.active, mfaEnabled: account.mfaEnabled, otpSecret: account.otpSecret, email: account.email }
    },
    setPassword: (email, password) => {
      accountOf(email).password = password
    },
    refreshTokensOf: (email) => store.refreshTokensOf(accountOf(email)),
    issuedSecrets: () => [...app.issuedJwts, ...store.issued],
    requests: () => requests.map((entry) => ({ ...entry })),
    holdRefreshes: () => {
      let release = (): void => undefined
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const current = { waiting: 0, release, released }
      hold = current
      return {
        waiting: () => current.waiting,
        release: () => {
          if (hold === current) hold = null
          current.release()
        },
      }
    },
    stop: () => {
      hold?.release()
      return closeServer(server)
    },
  }
}

async function handle(app: App, limiter: RateLimiter | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const cookies = parseCookies(req.headers.cookie)
  const ctx: Ctx = {
    method: req.method ?? 'GET',
    url,
    headers: req.headers,
    cookies,
    body: {},
    permissionVariables: null,
    refreshToken: null,
    res,
    extraHeaders: {},
    setCookies: [],
  }
  try {
    if (limiter !== null && url.pathname !== '/healthz') {
      const verdict = limiter.hit(clientIp(req.headers['x-forwarded-for'], req.socket.remoteAddress ?? ''))
      ctx.extraHeaders = verdict.headers
      if (!verdict.allowed) throw new Boom(429, 'You are being rate limited.')
    }
    ctx.body = await readJson(req)
    await authMiddleware(app, ctx)
    if (ctx.method === 'GET' && url.pathname === '/healthz') {
      sendText(ctx, 200, 'OK')
      return
    }
    const handler = ROUTES[`${ctx.method} ${url.pathname.replace(/\/+$/, '') || '/'}`]
    if (handler === undefined) throw notFound()
    await handler(app, ctx)
  } catch (error) {
    if (res.headersSent) {
      res.end()
      return
    }
    // src/errors.ts: a Boom keeps its payload; anything else is a 400 without a message.
    sendBoom(ctx, error instanceof Boom ? error : new Boom(400, undefined))
  }
}

/** src/middlewares/auth.ts: Bearer claims, the refresh token from the query or (winning) a cookie, and an unsigned permission_variables cookie that wins over the JWT. */
async function authMiddleware(app: App, ctx: Ctx): Promise<void> {
  ctx.permissionVariables = await app.jwt.claims(ctx.headers.authorization)
  const fromQuery = ctx.url.searchParams.get('refresh_token')
  if (fromQuery !== null) ctx.refreshToken = { value: fromQuery, type: 'query' }
  const fromCookie = ctx.cookies.refresh_token
  if (fromCookie !== undefined) ctx.refreshToken = { value: fromCookie, type: 'cookie' }
  const variables = ctx.cookies.permission_variables
  if (variables !== undefined) {
    try {
      ctx.permissionVariables = JSON.parse(variables) as Record<string, unknown>
    } catch {
      throw new Boom(401, 'Unauthorized')
    }
  }
}
