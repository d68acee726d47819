/**
 * Talks to an Authing app host the way authing-js-sdk 4.x does (GraphQL at /graphql/v2, REST v2
 * under /api/v2, the same x-authing-* headers), with one client per account and operation, no
 * timers and no storage. Passwords are RSA-encrypted (PKCS#1 v1.5, base64) with the public key the
 * server publishes at /api/v2/.well-known: never with a key built into the app. Bodies, tokens and
 * passwords never leave this file in an error.
 */
import { constants, publicEncrypt } from 'node:crypto'
import { httpFetch } from '../http-fetch.ts'
import type { AuthingSettings } from './config.ts'

export type AuthingFailure =
  | { kind: 'unreachable' }
  /** Authing's business error: GraphQL errors[].message = {code, message, data}, or REST {code != 200}. */
  | { kind: 'business'; code: number; message: string; data: Record<string, unknown> }
  /** Any other HTTP failure (a GraphQL schema error is HTTP 400 with a plain message). */
  /** `headers`: a 429's answer headers (Retry-After / X-RateLimit-Reset), read against the caller's clock. */
  | { kind: 'http'; status: number; message: string; headers?: Headers }

export type Answer<T> = { ok: true; value: T } | { ok: false; failure: AuthingFailure }

const TIMEOUT_MS = 15_000
const MAX_MESSAGE = 200
const SDK_VERSION = 'latchkey:1'

export class AuthingClient {
  readonly #settings: AuthingSettings
  readonly #token: string | null
  #publicKey: Promise<Answer<string>> | null = null

  constructor(settings: AuthingSettings, token: string | null = null) {
    this.#settings = settings
    this.#token = token
  }

  /** One GraphQL operation; `field` is the root field whose value is returned. */
  async graphql<T>(query: string, variables: Record<string, unknown>, field: string, token: string | null = this.#token): Promise<Answer<T>> {
    const answer = await this.#send('POST', '/graphql/v2', { query, variables }, token)
    if (!answer.ok) return answer
    const { status, body } = answer.value
    const payload = (body ?? {}) as { data?: Record<string, unknown> | null; errors?: { message?: unknown }[] }
    const first = payload.errors?.[0]
    if (first !== undefined) {
      const message = first.message
      if (typeof message === 'object' && message !== null) {
        const { code, message: text, data } = message as { code?: unknown; message?: unknown; data?: unknown }
        return { ok: false, failure: { kind: 'business', code: typeof code === 'number' ? code : Number(code) || 0, message: clip(text), data: objectOf(data) } }
      }
      return { ok: false, failure: { kind: 'http', status, message: clip(message) } }
    }
    if (status !== 200 || payload.data === undefined || payload.data === null) return { ok: false, failure: { kind: 'http', status, message: '' } }
    return { ok: true, value: payload.data[field] as T }
  }

  /** One REST v2 call; the envelope's `data` on code 200. */
  async rest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: Record<string, unknown>, token: string | null = this.#token): Promise<Answer<T>> {
    const answer = await this.#send(method, path, body, token)
    if (!answer.ok) return answer
    const { status, body: payload } = answer.value
    const envelope = (payload ?? {}) as { code?: unknown; message?: unknown; data?: unknown }
    if (status === 200 && envelope.code === 200) return { ok: true, value: envelope.data as T }
    if (typeof envelope.code === 'number' && envelope.code !== 200 && status < 500) {
      return { ok: false, failure: { kind: 'business', code: envelope.code, message: clip(envelope.message), data: objectOf(envelope.data) } }
    }
    return { ok: false, failure: { kind: 'http', status, message: clip(envelope.message) } }
  }

  /** The password as the server wants it: encrypted with its own published key. */
  async encrypt(password: string): Promise<Answer<string>> {
    this.#publicKey ??= this.rest<{ publicKey?: unknown }>('GET', '/api/v2/.well-known').then((answer) => {
      if (!answer.ok) return answer
      const key = answer.value.publicKey
      if (typeof key !== 'string' || !key.includes('PUBLIC KEY')) return { ok: false, failure: { kind: 'http', status: 200, message: 'no password key at /api/v2/.well-known' } }
      return { ok: true, value: key }
    })
    const key = await this.#publicKey
    if (!key.ok) return key
    try {
      return { ok: true, value: publicEncrypt({ key: key.value, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(password, 'utf8')).toString('base64') }
    } catch {
      return { ok: false, failure: { kind: 'http', status: 200, message: 'the password key at /api/v2/.well-known cannot be used' } }
    }
  }

  async #send(method: string, path: string, body: unknown, token: string | null): Promise<Answer<{ status: number; body: unknown }>> {
    const settings = this.#settings
    const headers: Record<string, string> = {
      'x-authing-userpool-id': settings.userPoolId,
      'x-authing-app-id': settings.appId,
      'x-authing-request-from': 'sdk',
      'x-authing-sdk-version': SDK_VERSION,
      'x-authing-lang': 'en-US',
      accept: 'application/json',
    }
    if (token !== null && token !== '') headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await httpFetch(`${settings.appHost}${path}`, {
        method,
        headers,
        redirect: 'error',
        timeoutMs: TIMEOUT_MS,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    } catch {
      return { ok: false, failure: { kind: 'unreachable' } }
    }
    if (response.status === 429) {
      // Authing's gateway: Retry-After in seconds from now (or X-RateLimit-Reset), whatever the body says.
      await response.body?.cancel()
      return { ok: false, failure: { kind: 'http', status: 429, message: '', headers: response.headers } }
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(await response.text())
    } catch {
      if (response.status >= 500 || response.status === 429) return { ok: false, failure: { kind: 'http', status: response.status, message: '' } }
      return { ok: false, failure: { kind: 'http', status: response.status, message: 'not an Authing answer' } }
    }
    return { ok: true, value: { status: response.status, body: parsed } }
  }
}

function clip(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, MAX_MESSAGE) : ''
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
