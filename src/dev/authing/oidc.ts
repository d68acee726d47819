/**
 * The app's OIDC side at {appHost}/oidc, on the real `oidc-provider` (Authing's own OIDC routes
 * are oidc-provider's: /oidc/auth, /oidc/token, /oidc/token/revocation, /oidc/me,
 * /oidc/session/end; JWKS at /oidc/.well-known/jwks.json). Authing's rules: the app is a client
 * whose id is the app id, with no secret (token endpoint auth "none", PKCE); its login callback
 * URLs match exactly, port included (a "web" client, not RFC 8252's any-port loopback); refresh
 * tokens are not rotated. Users sign in on a login page with their email, username or phone and
 * password from the same user pool as the v2 API, and a TOTP user also gives the code.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWK } from 'jose'
import Provider from 'oidc-provider'
import { handleInteraction, isInteractionPath } from '../oidc/interactions.ts'
import { MemoryStore } from '../oidc/memory-store.ts'
import { BASE_CLAIMS, recordIssuedTokens, sharedConfiguration } from '../oidc/provider-config.ts'
import type { App } from './app.ts'
import { profileClaims } from './tokens.ts'

const DAY = 86_400

export interface AuthingOidc {
  /** Handles /oidc/* and the login pages; false when the path is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse): boolean
  issued(): string[]
}

export function startOidc(
  app: App,
  options: { issuer: string; signingKey: JWK; redirectUris: readonly string[]; store?: MemoryStore; cookieKeys?: string[] },
): AuthingOidc {
  const store = options.store ?? new MemoryStore()
  const provider = new Provider(options.issuer, configuration(app, store, options))
  const issued: string[] = []
  recordIssuedTokens(provider, issued)
  const callback = provider.callback()
  const context = {
    provider,
    users: [],
    clientNames: { [app.appId]: app.appName },
    hint: 'Sign in with the email, username or phone number and password of your account in this app.',
    authenticate: (login: string, password: string) => {
      const user = app.store.byLogin(login)
      return user !== undefined && user.password !== null && user.password === password ? { id: user.id } : undefined
    },
    displayName: (accountId: string) => {
      const user = app.store.byId(accountId)
      return user?.profile.name ?? user?.email ?? user?.username ?? undefined
    },
  }
  return {
    handle: (req, res) => {
      const url = req.url ?? '/'
      const pathname = new URL(url, 'http://127.0.0.1').pathname
      if (isInteractionPath(pathname)) {
        void handleInteraction(req, res, context)
        return true
      }
      if (pathname !== '/oidc' && !pathname.startsWith('/oidc/')) return false
      // Mounted under /oidc: oidc-provider reads the mount path from originalUrl.
      Object.assign(req, { originalUrl: url, url: url.slice('/oidc'.length) || '/' })
      callback(req, res)
      return true
    },
    issued: () => [...issued],
  }
}

function configuration(app: App, store: MemoryStore, options: { signingKey: JWK; redirectUris: readonly string[]; cookieKeys?: string[] }): Record<string, unknown> {
  const shared = sharedConfiguration()
  return {
    ...shared,
    adapter: store.adapterFor,
    clients: [
      {
        client_id: app.appId,
        client_name: app.appName,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    routes: { jwks: '/.well-known/jwks.json', userinfo: '/me', revocation: '/token/revocation', introspection: '/token/introspection', end_session: '/session/end' },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone'],
    claims: {
      ...BASE_CLAIMS,
      profile: ['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = app.store.byId(sub)
      return user === undefined ? undefined : { accountId: sub, claims: () => Promise.resolve({ sub, ...withoutNulls(profileClaims(user)) }) }
    },
    jwks: { keys: [options.signingKey] },
    cookies: { keys: options.cookieKeys ?? [randomBytes(32).toString('base64url')] },
    features: { ...shared.features, introspection: { enabled: true } },
    // Authing keeps the refresh token across refreshes (not rotated by default).
    rotateRefreshToken: false,
    ttl: { AccessToken: 7200, AuthorizationCode: 60, IdToken: 7200, RefreshToken: 30 * DAY, Interaction: 3600, Session: 14 * DAY, Grant: 30 * DAY },
  }
}

function withoutNulls(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== null && value !== undefined))
}
