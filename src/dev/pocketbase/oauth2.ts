/**
 * The collection's OAuth2 provider: PocketBase's generic "oidc" provider pointed at an upstream
 * OpenID Connect server (endpoints from its discovery document). PocketBase, not the client, swaps
 * the code: it sends the client's redirectURL and code_verifier with its own client secret, then
 * reads the userinfo endpoint, trusting `email` only when `email_verified` is true.
 */
import { createHash } from 'node:crypto'
import { formatDate } from './store.ts'

export interface UpstreamConfig {
  issuer: string
  clientId: string
  clientSecret: string
  name: string
  displayName: string
}

interface Endpoints {
  authorization: string
  token: string
  userinfo: string
}

export interface TokenSet {
  accessToken: string
  refreshToken: string
  expiresIn: number
}

/** auth.AuthUser as it lands in the auth response's `meta`. */
export interface OAuth2User {
  id: string
  name: string
  username: string
  email: string
  avatarURL: string
  accessToken: string
  refreshToken: string
  expiry: string
  rawUser: Record<string, unknown>
}

const SCOPES = ['openid', 'email', 'profile']
const EXCHANGE_TIMEOUT_MS = 30_000

export class Upstream {
  readonly config: UpstreamConfig
  #endpoints: Promise<Endpoints> | undefined

  constructor(config: UpstreamConfig) {
    this.config = config
  }

  /** Discovery, cached once it succeeds. */
  async endpoints(): Promise<Endpoints> {
    this.#endpoints ??= discover(this.config.issuer)
    try {
      return await this.#endpoints
    } catch (error) {
      this.#endpoints = undefined
      throw error
    }
  }

  /** BuildAuthURL (Go's oauth2 AuthCodeURL: sorted query, spaces as '+') plus the empty `&redirect_uri=` for the client to fill in. */
  async authUrl(state: string, codeChallenge: string): Promise<string> {
    const { authorization } = await this.endpoints()
    const query = new URLSearchParams([
      ['client_id', this.config.clientId],
      ['code_challenge', codeChallenge],
      ['code_challenge_method', 'S256'],
      ['response_type', 'code'],
      ['scope', SCOPES.join(' ')],
      ['state', state],
    ])
    return `${authorization}${authorization.includes('?') ? '&' : '?'}${query.toString()}&redirect_uri=`
  }

  /** The code exchange, with PocketBase's client secret and the client's redirect_uri and code_verifier. */
  async exchange(code: string, codeVerifier: string, redirectURL: string): Promise<TokenSet> {
    const { token } = await this.endpoints()
    const response = await fetch(token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectURL,
        code_verifier: codeVerifier,
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
      }),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    })
    const tokens = (await response.json()) as Record<string, unknown>
    if (!response.ok || typeof tokens.access_token !== 'string') throw new Error('The provider refused the code.')
    return {
      accessToken: tokens.access_token,
      refreshToken: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : '',
      expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : 0,
    }
  }

  /** The userinfo endpoint, mapped like PocketBase's OIDC provider. */
  async fetchUser(tokens: TokenSet, now: number): Promise<OAuth2User> {
    const { userinfo } = await this.endpoints()
    const response = await fetch(userinfo, { headers: { authorization: `Bearer ${tokens.accessToken}` }, signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS) })
    const rawUser = (await response.json()) as Record<string, unknown>
    if (!response.ok || typeof rawUser !== 'object') throw new Error('The provider refused the userinfo request.')
    const text = (key: string): string => (typeof rawUser[key] === 'string' ? rawUser[key] : '')
    return {
      id: text('sub'),
      name: text('name'),
      username: text('preferred_username'),
      email: rawUser.email_verified === true || rawUser.email_verified === 'true' ? text('email') : '',
      avatarURL: text('picture'),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiry: tokens.expiresIn > 0 ? formatDate(now + tokens.expiresIn * 1000) : '',
      rawUser,
    }
  }
}

async function discover(issuer: string): Promise<Endpoints> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS) })
  const document = (await response.json()) as Record<string, unknown>
  const { authorization_endpoint: authorization, token_endpoint: token, userinfo_endpoint: userinfo } = document
  if (typeof authorization !== 'string' || typeof token !== 'string' || typeof userinfo !== 'string') {
    throw new Error('The upstream discovery document lacks an endpoint.')
  }
  return { authorization, token, userinfo }
}

/** security.S256Challenge */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}
