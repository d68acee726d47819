/**
 * How the OpenID Connect backend talks HTTP through oauth4webapi: one options object for every
 * request (discovery included), with a deadline, network failures made recognisable, and plain
 * http allowed only towards loopback hosts (local test and demo servers).
 */
import * as oauth from 'oauth4webapi'
import { httpFetch } from '../http-fetch.ts'
import { isLoopbackHost } from '../server-url.ts'

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/** The server could not be reached (refused, DNS, reset, deadline passed). */
export class NetworkFailure extends Error {
  readonly host: string

  constructor(host: string, cause: unknown) {
    super(`Could not reach ${host}.`, { cause })
    this.name = 'NetworkFailure'
    this.host = host
  }
}

export type RequestOptions = oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody>

/** Options to pass to every oauth4webapi request function for this issuer. */
export function requestOptions(issuer: URL, timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): RequestOptions {
  const options: RequestOptions = {
    [oauth.customFetch]: async (url, init) => {
      const target = new URL(url)
      if (target.protocol === 'http:' && !isLoopbackHost(target.hostname)) {
        throw new NetworkFailure(target.host, new Error('plain http is only used for loopback hosts'))
      }
      try {
        return await httpFetch(url, { ...init, timeoutMs })
      } catch (error) {
        throw new NetworkFailure(target.host, error)
      }
    },
  }
  if (issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname)) {
    // oauth4webapi refuses http unless told on every request; RFC 8252 test servers live on loopback.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way to reach an http issuer
    options[oauth.allowInsecureRequests] = true
  }
  return options
}
