/**
 * A tiny, deliberately odd identity provider for tests: it publishes discovery, redirects every
 * authorization straight back with a code, and answers the token and revocation endpoints with
 * whatever a test sets (an empty 400, a 503, a 401, an ID token with the wrong nonce …). It
 * reproduces what real IdPs do that a strict client trips on; it is no OpenID Connect server.
 *
 * It can also behave unlike `oidc-provider` in ways real servers do: revocation that accepts only
 * `Authorization: Bearer <access token>` (advertised as `bearer`), and a chosen
 * `prompt_values_supported` (with or without `select_account`).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer } from '../close-server.ts'

export interface CannedAnswer {
  status: number
  body?: string
  contentType?: string
  /** Answer only after this long (a slow server). */
  delayMs?: number
  /** More answer headers (Retry-After on a 429, say). */
  headers?: Record<string, string>
}

export interface QuirkyIdp {
  issuer: string
  /** What POST /token answers. */
  token: CannedAnswer
  /** What POST /revoke answers. */
  revocation: CannedAnswer
  /** Form bodies posted to /token, in order. */
  readonly tokenRequests: URLSearchParams[]
  /** Requests to /revoke, in order: the Authorization header (or null) and the form body. */
  readonly revocationRequests: { authorization: string | null; body: URLSearchParams }[]
  /** Query parameters of every request to /authorize, in order. */
  readonly authorizeRequests: URLSearchParams[]
  /** With `revocationAuth: 'bearer'`: the access tokens /revoke accepts as a bearer. */
  readonly bearerTokens: Set<string>
  stop(): Promise<void>
}

export interface QuirkyIdpOptions {
  /** Publish discovery at /.well-known/openid-configuration (default true); false = "not OIDC". */
  discovery?: boolean
  /** Advertise this token endpoint instead of the server's own (e.g. a closed port). */
  tokenEndpoint?: string
  /**
   * 'bearer': advertise `revocation_endpoint_auth_methods_supported: ["bearer"]` and answer /revoke
   * with 401 invalid_client unless it carries `Authorization: Bearer <one of bearerTokens>`.
   */
  revocationAuth?: 'bearer'
  /** Advertise these as `prompt_values_supported` (default: not advertised). */
  promptValues?: string[]
  /** Advertise these as `scopes_supported` (default: not advertised). */
  scopesSupported?: string[]
  /** Name this as the issuer in the discovery document instead of the server's own address (a mismatch). */
  advertisedIssuer?: string
}

export async function startQuirkyIdp(options: QuirkyIdpOptions = {}): Promise<QuirkyIdp> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  const idp: QuirkyIdp = {
    issuer,
    token: { status: 400 },
    revocation: { status: 200 },
    tokenRequests: [],
    revocationRequests: [],
    authorizeRequests: [],
    bearerTokens: new Set(),
    stop: () => closeServer(server),
  }
  const metadata = {
    issuer: options.advertisedIssuer ?? issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: options.tokenEndpoint ?? `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    ...(options.revocationAuth === undefined ? {} : { revocation_endpoint_auth_methods_supported: [options.revocationAuth] }),
    ...(options.promptValues === undefined ? {} : { prompt_values_supported: options.promptValues }),
    ...(options.scopesSupported === undefined ? {} : { scopes_supported: options.scopesSupported }),
  }

  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', issuer)
    const answer = (canned: CannedAnswer): void => {
      const headers = { ...(canned.body === undefined ? {} : { 'content-type': canned.contentType ?? 'application/json' }), ...canned.headers }
      setTimeout(() => response.writeHead(canned.status, headers).end(canned.body ?? ''), canned.delayMs ?? 0)
    }
    if (url.pathname === '/.well-known/openid-configuration' && options.discovery !== false) {
      answer({ status: 200, body: JSON.stringify(metadata) })
    } else if (url.pathname === '/authorize') {
      idp.authorizeRequests.push(new URLSearchParams(url.searchParams))
      const back = new URL(url.searchParams.get('redirect_uri') ?? issuer)
      back.searchParams.set('code', 'quirky-code')
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      back.searchParams.set('iss', issuer)
      response.writeHead(302, { location: back.href }).end()
    } else if (url.pathname === '/token' || url.pathname === '/revoke') {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      request.on('end', () => {
        if (url.pathname === '/token') {
          idp.tokenRequests.push(new URLSearchParams(body))
          answer(idp.token)
          return
        }
        const authorization = request.headers.authorization ?? null
        idp.revocationRequests.push({ authorization, body: new URLSearchParams(body) })
        const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
        if (options.revocationAuth === 'bearer' && (bearer === undefined || !idp.bearerTokens.has(bearer))) {
          answer({ status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: 'revocation needs a bearer token' }) })
          return
        }
        answer(idp.revocation)
      })
    } else {
      answer({ status: 404, body: '<!doctype html><title>Not found</title><h1>Not found</h1>', contentType: 'text/html' })
    }
  })
  return idp
}
