/**
 * A real OpenID Connect server (`oidc-provider`) on 127.0.0.1 for tests, the end-to-end suite and
 * `npm run demo`. One public native client (`latchkey-desktop`, RFC 8252 loopback redirect with any
 * port), authorization code + PKCE, refresh tokens with rotation, revocation, RP-initiated logout,
 * userinfo, and a real login + consent step. Every authorization asks for username and password
 * (no single sign-on between attempts), so several demo users can be added one after another.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import Provider from 'oidc-provider'
import { claimsOf, DEFAULT_DEMO_USERS } from './oidc/demo-users.ts'
import type { DemoUser } from './oidc/demo-users.ts'
import { handleInteraction, isInteractionPath } from './oidc/interactions.ts'
import { MemoryStore, type StoreSnapshot } from './oidc/memory-store.ts'
import { BASE_CLAIMS, recordIssuedTokens, sharedConfiguration } from './oidc/provider-config.ts'
import { listenOnLoopback } from './listen.ts'
import { openStateFile } from './state-file.ts'
import { closeServer } from './close-server.ts'

export type { DemoUser } from './oidc/demo-users.ts'

export interface OidcServerOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number
  /** Default 3600; tests use a few seconds to exercise refresh (a function: asked for each token). */
  accessTokenTtlSeconds?: number | (() => number)
  users?: DemoUser[]
  /** More registered clients, e.g. the confidential client a backend (PocketBase) uses to sign its users in here. */
  extraClients?: OidcClientRegistration[]
  /**
   * Keep the signing key, cookie keys, grants, sessions and tokens in this file, so that a restart
   * (of the demo) keeps every session it issued. Default: memory only.
   */
  stateFile?: string
  /**
   * Serve the endpoints at Keycloak's paths, /realms/<realm>/protocol/openid-connect/{auth,token,userinfo,…},
   * with the issuer /realms/<realm> (Supabase Auth's Keycloak provider builds them from that base URL).
   */
  keycloakRealm?: string
}

interface SavedOidcState {
  signingKey: Record<string, unknown>
  cookieKeys: string[]
  store: StoreSnapshot
}

/** Client metadata (RFC 7591 names). Defaults: native (loopback redirects with any port), code flow, client_secret_post. */
export interface OidcClientRegistration {
  client_id: string
  client_secret?: string
  client_name?: string
  redirect_uris: readonly string[]
  application_type?: 'native' | 'web'
  token_endpoint_auth_method?: 'none' | 'client_secret_post' | 'client_secret_basic'
  grant_types?: string[]
  response_types?: string[]
}

export interface OidcServer {
  /** http://127.0.0.1:<port> */
  issuer: string
  /** 'latchkey-desktop': a public native client. */
  clientId: string
  users: DemoUser[]
  /** Server-side revocation: destroys every grant (and so every token) the user holds. Returns how many grants. */
  revokeAllFor(userId: string): Promise<number>
  /** Whether the server would still accept this refresh token. */
  refreshTokenIsActive(token: string): Promise<boolean>
  /** Every token the token endpoint has handed out (tests check none of them leaked anywhere). */
  issuedTokens(): string[]
  /** How many refresh requests (grant_type=refresh_token) reached the token endpoint. */
  refreshRequests(): number
  stop(): Promise<void>
}

export const DEMO_CLIENT_ID = 'latchkey-desktop'
const DAY = 24 * 60 * 60

export async function startOidcServer(options: OidcServerOptions = {}): Promise<OidcServer> {
  const users = [...(options.users ?? DEFAULT_DEMO_USERS)]
  const extraClients = options.extraClients ?? []
  const clientNames = { [DEMO_CLIENT_ID]: 'Latchkey', ...Object.fromEntries(extraClients.map((client) => [client.client_id, client.client_name ?? client.client_id])) }
  const store = new MemoryStore()
  const keys = { signingKey: { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: randomUUID() }, cookieKeys: [randomBytes(32).toString('base64url')] }
  if (options.stateFile !== undefined) {
    const file = openStateFile<SavedOidcState>(options.stateFile, () => ({ ...keys, store: store.snapshot() }))
    if (file.initial !== null) {
      Object.assign(keys, { signingKey: file.initial.signingKey, cookieKeys: file.initial.cookieKeys })
      store.restore(file.initial.store)
    }
    file.save()
    store.onChange = () => file.changed()
  }
  let provider: Provider | null = null
  let handle: ReturnType<Provider['callback']> | null = null
  const server = createServer((request, response) => {
    if (provider === null || handle === null) {
      response.writeHead(503).end()
      return
    }
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    if (isInteractionPath(pathname)) {
      void handleInteraction(request, response, { provider, users, clientNames })
    } else {
      handle(request, response)
    }
  })
  const origin = await listenOnLoopback(server, options.port)
  const realm = options.keycloakRealm
  const issuer = realm === undefined ? origin : `${origin}/realms/${realm}`
  provider = new Provider(issuer, { ...configuration(users, store, options.accessTokenTtlSeconds ?? 3600, extraClients, keys), ...(realm === undefined ? {} : { routes: keycloakRoutes(realm) }) })
  const issued: string[] = []
  recordIssuedTokens(provider, issued)
  let refreshRequests = 0
  provider.use(async (ctx, next) => {
    await next()
    if (ctx.path === '/token' && ((ctx as { oidc?: unknown }).oidc as { params?: { grant_type?: unknown } } | undefined)?.params?.grant_type === 'refresh_token') refreshRequests++
  })
  handle = provider.callback()
  const provide = provider

  return {
    issuer,
    clientId: DEMO_CLIENT_ID,
    users,
    revokeAllFor: (userId) => {
      const grants = store.idsWhere('Grant', (payload) => payload.accountId === userId)
      for (const grantId of grants) {
        store.revokeGrant(grantId)
        store.model('Grant').delete(grantId)
      }
      for (const id of store.idsWhere('Session', (payload) => payload.accountId === userId)) store.model('Session').delete(id)
      return Promise.resolve(grants.length)
    },
    refreshTokenIsActive: async (token) => {
      const refreshToken = await provide.RefreshToken.find(token).catch(() => undefined)
      if (refreshToken === undefined || refreshToken.isExpired || refreshToken.consumed !== undefined) return false
      return refreshToken.grantId !== undefined && (await provide.Grant.find(refreshToken.grantId)) !== undefined
    },
    issuedTokens: () => [...issued],
    refreshRequests: () => refreshRequests,
    stop: () => closeServer(server),
  }
}

/** Keycloak's endpoint paths under its realm. */
function keycloakRoutes(realm: string): Record<string, string> {
  const base = `/realms/${realm}/protocol/openid-connect`
  return {
    authorization: `${base}/auth`,
    token: `${base}/token`,
    userinfo: `${base}/userinfo`,
    jwks: `${base}/certs`,
    end_session: `${base}/logout`,
    revocation: `${base}/revoke`,
    introspection: `${base}/token/introspect`,
  }
}

function configuration(
  users: readonly DemoUser[],
  store: MemoryStore,
  accessTokenTtl: number | (() => number),
  extraClients: readonly OidcClientRegistration[],
  keys: { signingKey: Record<string, unknown>; cookieKeys: string[] },
): Record<string, unknown> {
  return {
    ...sharedConfiguration(),
    adapter: store.adapterFor,
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'Latchkey',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      ...extraClients.map((client) => ({
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...client,
        redirect_uris: [...client.redirect_uris],
      })),
    ],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      ...BASE_CLAIMS,
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = users.find((candidate) => candidate.id === sub)
      return user === undefined ? undefined : { accountId: sub, claims: () => Promise.resolve(claimsOf(user)) }
    },
    jwks: { keys: [{ ...keys.signingKey, use: 'sig', alg: 'RS256' }] },
    cookies: { keys: keys.cookieKeys },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: typeof accessTokenTtl === 'number' ? accessTokenTtl : () => accessTokenTtl(),
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * DAY,
      Interaction: 3600,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  }
}
