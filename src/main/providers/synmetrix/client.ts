/**
 * A small fetch client for hasura-backend-plus: JSON in and out, a deadline on every request, and no
 * cookies ever sent (httpFetch keeps no cookie jar and `credentials: 'omit'` says so): HBP's cookie mode
 * would put the refresh token and an unsigned permission_variables cookie in play. Every sign-in sends
 * `cookie: false` (a boolean: the string "false" selects cookie mode), so tokens come in JSON bodies
 * (login-request.ts: where a server refuses that key, the token is read from its Set-Cookie instead).
 * Request URLs can carry a refresh token (`?refresh_token=`): they are never logged or kept in errors.
 */
import { httpFetch } from '../http-fetch.ts'
import type { SynmetrixSettings } from './config.ts'

export const REQUEST_TIMEOUT_MS = 30_000

export type HbpAnswer =
  | { ok: true; status: number; body: unknown; headers: Headers }
  /** `maybeSent`: the request may have reached the server (the connection broke or timed out after it was made). */
  | { ok: false; kind: 'unreachable'; maybeSent: boolean }
  | { ok: false; kind: 'http'; status: number; message: string; headers: Headers }

export interface HbpRequest {
  method: 'GET' | 'POST'
  /** Under /auth, e.g. '/login'. */
  path: string
  query?: Record<string, string>
  json?: unknown
  bearer?: string
  /** Follow no redirect: activation and magic links answer 302 with the refresh token in Location. */
  manualRedirect?: boolean
  /**
   * The GET uses something up (a refresh token rotated, a ticket consumed): never sent again by the
   * HTTP layer after a broken connection, as the server may already have done it.
   */
  usesUp?: boolean
}

const MAX_MESSAGE = 200

export async function hbp(settings: SynmetrixSettings, request: HbpRequest): Promise<HbpAnswer> {
  const url = new URL(`${settings.url}/auth${request.path}`)
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (request.json !== undefined) headers['content-type'] = 'application/json'
  if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`
  let response: Response
  let text: string
  try {
    response = await httpFetch(url, {
      method: request.method,
      headers,
      credentials: 'omit',
      redirect: request.manualRedirect === true ? 'manual' : 'error',
      timeoutMs: REQUEST_TIMEOUT_MS,
      once: request.usesUp === true,
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
    })
    text = await response.text()
  } catch (error) {
    return { ok: false, kind: 'unreachable', maybeSent: !NOT_SENT.has(causeCode(error)) }
  }
  const body = parse(text)
  if (response.status < 400) return { ok: true, status: response.status, body, headers: response.headers }
  return { ok: false, kind: 'http', status: response.status, message: messageOf(body), headers: response.headers }
}

/** Failures that happen before a request leaves this computer. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

function causeCode(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : ''
}

function parse(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The @hapi/boom payload's `message` ('' when absent: HBP's database errors carry none). */
function messageOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return ''
  const message = (body as { message?: unknown }).message
  return typeof message === 'string' ? message.trim().slice(0, MAX_MESSAGE) : ''
}
