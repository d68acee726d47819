/**
 * A protocol-faithful Authing app host on 127.0.0.1 for tests, the end-to-end suite and
 * `npm run demo`: GraphQL v2 at /graphql/v2 (the documents authing-js-sdk 4.x and authing-py-sdk
 * send, business errors as HTTP 200 `errors[].message = {code, message}`, schema errors HTTP 400),
 * REST v2 under /api/v2 (`{code, message, data}`), the password-encryption key at
 * /api/v2/.well-known, RS256 tokens, SMS and email codes in an outbox, TOTP MFA (1635 + mfaToken,
 * then /api/v2/mfa/totp/verify) and enrolment. Wire details from providers.md §4/§9b and the SDKs'
 * sources. It logs nothing.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JWK } from 'jose'
import { App } from './app.ts'
import { runGraphql } from './graphql.ts'
import { startOidc } from './oidc.ts'
import type { AuthingOidc } from './oidc.ts'
import { runRest } from './rest.ts'
import type { AuthingEmulator, AuthingEmulatorOptions } from './types.ts'
import type { UserRecord } from './store.ts'
import { MemoryStore, type StoreSnapshot } from '../oidc/memory-store.ts'
import { openStateFile, type StateFile } from '../state-file.ts'
import { readBodyUpTo } from '../request-body.ts'
import { closeServer } from '../close-server.ts'

export type { AppMethods, AuthingEmulator, AuthingEmulatorOptions, EmulatorUser, OutboxMessage, UdfDefinition } from './types.ts'

const MAX_BODY = 1024 * 1024

export async function startAuthingEmulator(options: AuthingEmulatorOptions = {}): Promise<AuthingEmulator> {
  const log: { method: string; path: string; status: number; operation?: string }[] = []
  let app: App | null = null
  let oidc: AuthingOidc | null = null
  const limit: { retryAfter: number | null } = { retryAfter: null }
  const server = createServer((req, res) => {
    if (app === null || oidc === null) {
      res.writeHead(503).end()
      return
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (oidc.handle(req, res)) {
      res.on('finish', () => log.push({ method: req.method ?? 'GET', path, status: res.statusCode }))
      return
    }
    void handle(app, req, res, log, limit).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: 500, message: '服务器内部错误' }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve()
    })
  })
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  const userPoolId = options.userPoolId ?? '62e2a0c4d2c1a4f1e8a0b001'
  const appId = options.appId ?? '62e2a0c4d2c1a4f1e8a0b002'
  const created = new App({ ...options, issuer: `${url}/oidc`, userPoolId, appId })
  const kept = keptState(created, options.stateFile)
  await created.tokens.init(kept.saved?.signingKey)
  oidc = startOidc(created, { issuer: `${url}/oidc`, signingKey: created.tokens.signingKey(), redirectUris: options.redirectUris ?? [], ...kept.oidc })
  kept.start()
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => res.on('finish', kept.changed))
  const oidcSide = oidc
  app = created
  const userOf = (login: string) => {
    const user = created.store.byLogin(login)
    if (user === undefined) throw new Error(`no user ${login}`)
    return user
  }
  return {
    url,
    userPoolId,
    appId,
    publicKey: created.passwordKey.publicKeyPem,
    outbox: created.outbox,
    user: (login) => {
      const user = created.store.byLogin(login)
      return user === undefined ? undefined : created.view(user)
    },
    logoutEverywhere: (login) => {
      userOf(login).tokensValidAfter = created.now() + 1000
    },
    totp: (login) => {
      const secret = userOf(login).totpSecret
      if (secret === null) throw new Error(`${login} has no TOTP`)
      return created.currentTotp(secret)
    },
    issuedTokens: () => [...created.tokens.issued(), ...oidcSide.issued()],
    rateLimit: (seconds) => {
      limit.retryAfter = seconds
    },
    requests: () => [...log],
    stop: () => closeServer(server),
  }
}

async function handle(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  log: { method: string; path: string; status: number; operation?: string }[],
  limit: { retryAfter: number | null },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  const token = bearer(req.headers.authorization)
  const send = (status: number, body: unknown, operation?: string): void => {
    log.push({ method, path: url.pathname, status, ...(operation === undefined ? {} : { operation }) })
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify(body))
  }
  if (method === 'OPTIONS') {
    send(204, null)
    return
  }
  if (limit.retryAfter !== null && (url.pathname === '/graphql/v2' || url.pathname.startsWith('/api/'))) {
    log.push({ method, path: url.pathname, status: 429 })
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(limit.retryAfter) })
    res.end(JSON.stringify({ code: 429, message: 'Too Many Requests' }))
    return
  }
  if (url.pathname === '/graphql/v2' && method === 'POST') {
    const body = await readJson(req)
    if (body === undefined) {
      send(400, { errors: [{ message: 'POST body sent invalid JSON.' }] })
      return
    }
    const answer = await runGraphql(body, { app, token })
    send(answer.status, answer.body, answer.operation)
    return
  }
  if (url.pathname.startsWith('/api/')) {
    const body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req)
    const answer = await runRest(app, { method, path: url.pathname, query: url.searchParams, token, body: (body ?? {}) as Record<string, unknown> })
    if (answer !== null) {
      send(answer.status, answer.body)
      return
    }
  }
  send(404, { code: 404, message: 'Not Found' })
}

interface SavedAuthing {
  signingKey: JWK
  cookieKeys: string[]
  users: UserRecord[]
  loggedOut: string[]
  oidc: StoreSnapshot
}

/**
 * The demo's Authing across restarts: the signing key, the user pool and the logged-out tokens,
 * and the OIDC side's grants and refresh tokens (codes and mails are short-lived and not kept).
 */
function keptState(app: App, path: string | undefined): { saved: SavedAuthing | null; oidc: { store: MemoryStore; cookieKeys: string[] }; start: () => void; changed: () => void } {
  const store = new MemoryStore()
  const file: StateFile<SavedAuthing> | null = path === undefined ? null : openStateFile<SavedAuthing>(path, (): SavedAuthing => ({
    signingKey: app.tokens.signingKey(),
    cookieKeys,
    users: app.store.users,
    loggedOut: [...app.tokens.loggedOut],
    oidc: store.snapshot(),
  }))
  const saved: SavedAuthing | null = file?.initial ?? null
  const cookieKeys: string[] = saved?.cookieKeys ?? [randomBytes(32).toString('base64url')]
  const changed = (): void => file?.changed()
  return {
    saved,
    oidc: { store, cookieKeys },
    start: () => {
      if (saved !== null) {
        app.store.users.splice(0, app.store.users.length, ...saved.users)
        for (const id of saved.loggedOut) app.tokens.loggedOut.add(id)
        store.restore(saved.oidc)
      }
      store.onChange = changed
      file?.save()
    },
    changed,
  }
}

function bearer(header: string | undefined): string {
  if (header === undefined) return ''
  const match = /^Bearer\s+(.+)$/i.exec(header.trim())
  return match?.[1]?.trim() ?? header.trim()
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBodyUpTo(req, MAX_BODY)
  if (raw === undefined) return undefined
  const text = raw.toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
