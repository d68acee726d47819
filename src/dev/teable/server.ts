/**
 * A protocol-faithful Teable auth server on 127.0.0.1 for tests, the end-to-end suite and
 * `npm run demo`: the `auth_session` cookie session with its sliding lifetime, the anonymous answer
 * for a dead session, password sign-in with the opt-in lockout, sign-up with the emailed code (422),
 * profile, email and password changes that end every session, password reset, personal access
 * tokens (`teable_<id>_<sign>`, scopes, expiry) with one data route, the mobile PKCE sign-in, an
 * optional rate-limiting gateway (429 with X-RateLimit-*), emails in an outbox and a settable clock.
 * Written from Teable's backend source and providers.md §1/§9b; it logs nothing.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { DEMO_TEABLE_USERS } from './demo-users.ts'
import { internal, notFound, TeableError } from './errors.ts'
import { createCtx, sessionCookie } from './http.ts'
import type { Caller } from './http.ts'
import { ACCESS_TOKEN_ROUTES } from './routes/access-tokens.ts'
import { MOBILE_ROUTES } from './routes/mobile.ts'
import { PROFILE_ROUTES } from './routes/profile.ts'
import { SECURITY_ROUTES } from './routes/security.ts'
import { SETTING_ROUTES } from './routes/settings.ts'
import { SIGN_IN_ROUTES } from './routes/sign-in.ts'
import { findRoute } from './routes/table.ts'
import { TeableState } from './state.ts'
import type { TeableEmulator, TeableEmulatorOptions } from './types.ts'
import { listenOnLoopback } from '../listen.ts'
import { keepState } from '../state-file.ts'
import { closeServer } from '../close-server.ts'

export type { TeableEmulator, TeableEmulatorOptions, TeableEmulatorUser, TeableMail } from './types.ts'

const ROUTES = [...SIGN_IN_ROUTES, ...SECURITY_ROUTES, ...PROFILE_ROUTES, ...ACCESS_TOKEN_ROUTES, ...MOBILE_ROUTES, ...SETTING_ROUTES]

export async function startTeableEmulator(options: TeableEmulatorOptions = {}): Promise<TeableEmulator> {
  const state = new TeableState(options, options.users ?? DEMO_TEABLE_USERS)
  const changed = keepState(options.stateFile, { current: () => state.snapshot(), restore: (saved) => state.restore(saved) })
  const requests: { method: string; path: string; status: number }[] = []
  const window = { start: 0, count: 0 }
  const server = createServer((request, response) => {
    response.on('finish', changed)
    const log = (status: number): void => {
      requests.push({ method: request.method ?? 'GET', path: new URL(request.url ?? '/', 'http://127.0.0.1').pathname, status })
    }
    if (limited(state, window, response, log)) return
    handle(state, request, response, log).catch(() => {
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })
  state.url = await listenOnLoopback(server, options.port)
  const userOf = (email: string) => {
    const user = state.findAnyCase(email)
    if (user === undefined) throw new Error(`No Teable user has the email ${email}.`)
    return user
  }
  return {
    url: state.url,
    outbox: {
      messages: () => [...state.mails],
      last: (to, kind) => state.mails.findLast((mail) => mail.to.toLowerCase() === to.toLowerCase() && mail.kind === kind),
      clear: () => {
        state.mails.length = 0
      },
    },
    endSessions: (email) => state.clearSessionsOf(userOf(email).id),
    liveSessions: (email) => state.liveSessionsOf(userOf(email).id),
    setPassword: (email, password) => {
      userOf(email).password = password
    },
    user: (email) => {
      const user = state.findAnyCase(email)
      return user && { id: user.id, name: user.name, email: user.email, hasPassword: user.password !== null, avatarBytes: user.avatar?.bytes.length ?? 0, notifyEmail: user.notifyMeta.email === true }
    },
    accessTokens: (email) => {
      const id = userOf(email).id
      return [...state.tokens.values()].filter((token) => token.userId === id).map((token) => ({ id: token.id, name: token.name, expiredTime: new Date(token.expiredTime).toISOString(), scopes: [...token.scopes] }))
    },
    deleteAccessToken: (email, id) => {
      if (state.tokens.get(id)?.userId === userOf(email).id) state.tokens.delete(id)
    },
    setGateway: (gateway) => {
      state.gateway = gateway
      window.count = 0
    },
    setMobileRedirectSchemes: (schemes) => {
      state.mobileSchemes = [...schemes]
    },
    issuedSecrets: () => [...state.issued],
    requests: () => requests.map((entry) => ({ ...entry })),
    stop: () => closeServer(server),
  }
}

/** The gateway in front of the server: a fixed window; over the limit, 429 with X-RateLimit-* headers. */
function limited(state: TeableState, window: { start: number; count: number }, response: ServerResponse, log: (status: number) => void): boolean {
  const gateway = state.gateway
  if (gateway === null) return false
  const now = state.now()
  if (now - window.start >= gateway.windowMs) {
    window.start = now
    window.count = 0
  }
  window.count += 1
  if (window.count <= gateway.limit) return false
  const reset = Math.ceil((window.start + gateway.windowMs) / 1000)
  const seconds = Math.max(1, reset - Math.floor(now / 1000))
  log(429)
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': String(gateway.limit), 'x-ratelimit-remaining': '0' }
  response.writeHead(
    429,
    gateway.reset === 'seconds-from-now' ? { ...headers, 'x-ratelimit-reset': String(seconds) } : { ...headers, 'x-ratelimit-reset': String(reset), 'retry-after': String(seconds) },
  )
  response.end(JSON.stringify({ message: 'Too many requests', status: 429, code: 'too_many_requests' }))
  return true
}

async function handle(state: TeableState, request: IncomingMessage, response: ServerResponse, log: (status: number) => void): Promise<void> {
  let caller: Caller = { kind: 'anonymous' }
  const ctx = createCtx(request, response, caller, log)
  try {
    caller = resolveCaller(state, request)
    ctx.caller = caller
    const found = findRoute(ROUTES, ctx.method, ctx.url.pathname)
    if (found === undefined) throw notFound()
    ctx.params = found.params
    await found.route.handler(state, ctx)
  } catch (error) {
    if (response.headersSent) {
      response.end()
      return
    }
    const failure = error instanceof TeableError ? error : internal()
    ctx.send(failure.status, failure.body())
  }
}

/** The guard chain: session, access token, anonymous. A valid cookie wins over a bearer token. */
function resolveCaller(state: TeableState, request: IncomingMessage): Caller {
  const session = state.sessionOf(sessionCookie(request.headers.cookie))
  const sessionUser = session && state.findById(session.userId)
  if (session && sessionUser) return { kind: 'session', user: sessionUser, session }
  const header = request.headers.authorization ?? ''
  if (!header.startsWith('Bearer ')) return { kind: 'anonymous' }
  // A token whose sign does not decrypt throws inside the strategy: the request is a 500.
  const parts = state.pats.decode(header.slice(7))
  const token = parts && state.tokens.get(parts.id)
  const user = token && state.findById(token.userId)
  if (!token || !user || token.sign !== parts.sign || token.expiredTime < state.now() + 1000) return { kind: 'anonymous' }
  token.lastUsedTime = state.now()
  return { kind: 'token', user, token }
}
