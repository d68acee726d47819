/**
 * OpenID Connect discovery with a short in-memory cache per issuer (never on disk): a sign-in, the
 * refreshes after it and a sign-out do not each fetch the metadata again.
 */
import * as oauth from 'oauth4webapi'
import { AppError } from '../../core/errors.ts'
import type { Clock } from '../../core/ports.ts'
import { NetworkFailure, requestOptions } from './http.ts'

export const DEFAULT_DISCOVERY_TTL_MS = 5 * 60_000

export class DiscoveryCache {
  readonly #ttlMs: number
  readonly #entries = new Map<string, { server: oauth.AuthorizationServer; fetchedAt: number }>()

  constructor(ttlMs: number = DEFAULT_DISCOVERY_TTL_MS) {
    this.#ttlMs = ttlMs
  }

  /** The issuer's metadata; throws AppError DISCOVERY_FAILED (cause NetworkFailure when unreachable). */
  async get(issuer: URL, clock: Clock): Promise<oauth.AuthorizationServer> {
    const cached = this.#entries.get(issuer.href)
    if (cached !== undefined && clock.now() - cached.fetchedAt < this.#ttlMs) return cached.server
    const server = await discover(issuer)
    this.#entries.set(issuer.href, { server, fetchedAt: clock.now() })
    return server
  }
}

async function discover(issuer: URL): Promise<oauth.AuthorizationServer> {
  const where = issuer.host
  let server: oauth.AuthorizationServer
  try {
    const response = await oauth.discoveryRequest(issuer, requestOptions(issuer))
    server = await oauth.processDiscoveryResponse(issuer, response)
  } catch (error) {
    throw discoveryError(error, issuer, where)
  }
  if (server.authorization_endpoint === undefined || server.token_endpoint === undefined) {
    throw new AppError('DISCOVERY_FAILED', `${where} does not offer an authorization and token endpoint, so it cannot sign you in.`)
  }
  return server
}

function discoveryError(error: unknown, issuer: URL, where: string): AppError {
  if (error instanceof NetworkFailure) {
    return new AppError('DISCOVERY_FAILED', `Could not reach ${where}. Check the issuer URL and your connection.`, { cause: error })
  }
  if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
    const body = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body
    const actual = typeof body?.issuer === 'string' ? body.issuer.slice(0, 200) : 'something else'
    // A multi-tenant address (Microsoft Entra's /common, /organizations) names a template as its issuer.
    if (/\{[^}]*\}/.test(actual)) {
      return new AppError(
        'DISCOVERY_FAILED',
        `${issuer.href} is a multi-tenant address: the server names its issuer "${actual}", a pattern for each organisation. ` +
          'Use the issuer of your own organisation, with its ID in place of the part in braces.',
        { cause: error },
      )
    }
    return new AppError(
      'DISCOVERY_FAILED',
      `The server at ${where} names its issuer "${actual}", not "${issuer.href}". Use exactly its issuer as the Issuer URL.`,
      { cause: error },
    )
  }
  return new AppError(
    'DISCOVERY_FAILED',
    `${where} does not look like an OpenID Connect issuer: no valid configuration at /.well-known/openid-configuration. Check the issuer URL.`,
    { cause: error },
  )
}
