/**
 * A tiny, deliberately odd identity provider for tests: it publishes discovery, redirects every
 * authorization straight back with a code, and answers the token and revocation endpoints with
 * whatever a test sets (an empty 400, a 503, a 401, an ID token with the wrong nonce …). It
 * reproduces what real IdPs do that a strict client trips on; it is no OpenID Connect server.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CannedAnswer {
  status: number
  body?: string
  contentType?: string
  /** Answer only after this long (a slow server). */
  delayMs?: number
}

export interface QuirkyIdp {
  issuer: string
  /** What POST /token answers. */
  token: CannedAnswer
  /** What POST /revoke answers. */
  revocation: CannedAnswer
  /** Form bodies posted to /token, in order. */
  readonly tokenRequests: URLSearchParams[]
  stop(): Promise<void>
}

export interface QuirkyIdpOptions {
  /** Publish discovery at /.well-known/openid-configuration (default true); false = "not OIDC". */
  discovery?: boolean
  /** Advertise this token endpoint instead of the server's own (e.g. a closed port). */
  tokenEndpoint?: string
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
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: options.tokenEndpoint ?? `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  }

  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', issuer)
    const answer = (canned: CannedAnswer): void => {
      const headers = canned.body === undefined ? {} : { 'content-type': canned.contentType ?? 'application/json' }
      setTimeout(() => response.writeHead(canned.status, headers).end(canned.body ?? ''), canned.delayMs ?? 0)
    }
    if (url.pathname === '/.well-known/openid-configuration' && options.discovery !== false) {
      answer({ status: 200, body: JSON.stringify(metadata) })
    } else if (url.pathname === '/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? issuer)
      back.searchParams.set('code', 'quirky-code')
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      back.searchParams.set('iss', issuer)
      response.writeHead(302, { location: back.href }).end()
    } else if (url.pathname === '/token' || url.pathname === '/revoke') {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      request.on('end', () => {
        if (url.pathname === '/token') idp.tokenRequests.push(new URLSearchParams(body))
        answer(url.pathname === '/token' ? idp.token : idp.revocation)
      })
    } else {
      answer({ status: 404, body: '<!doctype html><title>Not found</title><h1>Not found</h1>', contentType: 'text/html' })
    }
  })
  return idp
}
