/**
 * Teable over HTTP, one call at a time and per account: the `auth_session` cookie is sent
 * explicitly in a Cookie header and read back from Set-Cookie (never a shared cookie jar), a
 * personal access token as a Bearer header. `@teable/openapi` is not used: its axios client is one
 * module-global instance with a global Authorization header, unfit for many accounts in one process.
 */
import { httpFetch } from '../http-fetch.ts'
import type { TeableSettings } from './config.ts'

const COOKIE_NAME = 'auth_session'
/** Every call gives up after this long (a stuck server must not hold a sign-in or the scheduler). */
const TIMEOUT_MS = 20_000

export type Credential = { cookie: string } | { bearer: string } | null

export interface TeableRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  credential?: Credential
  json?: unknown
  form?: FormData
  signal?: AbortSignal
}

export interface TeableAnswer {
  status: number
  headers: Headers
  /** The parsed JSON body, or null (empty or not JSON). */
  body: unknown
  /** The `auth_session` value a Set-Cookie carried: a string when set, '' when cleared, null when untouched. */
  cookie: string | null
}

export type TeableResult = { ok: true; answer: TeableAnswer } | { ok: false; unreachable: true; cause: unknown }

export async function teableCall(settings: TeableSettings, request: TeableRequest): Promise<TeableResult> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const credential = request.credential ?? null
  if (credential !== null && 'cookie' in credential) headers.cookie = `${COOKIE_NAME}=${credential.cookie}`
  if (credential !== null && 'bearer' in credential) headers.authorization = `Bearer ${credential.bearer}`
  let body: string | FormData | undefined
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(request.json)
  } else if (request.form !== undefined) {
    body = request.form
  }
  try {
    const response = await httpFetch(`${settings.url}/api${request.path}`, { method: request.method, headers, body: body ?? null, redirect: 'manual', signal: request.signal ?? null, timeoutMs: TIMEOUT_MS })
    const text = await response.text()
    return { ok: true, answer: { status: response.status, headers: response.headers, body: parseJson(text), cookie: cookieFrom(response.headers) } }
  } catch (cause) {
    return { ok: false, unreachable: true, cause }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

function cookieFrom(headers: Headers): string | null {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';')
    const [name, ...value] = (pair ?? '').split('=')
    if (name?.trim() !== COOKIE_NAME) continue
    const cleared = /expires=thu, 01 jan 1970/i.test(line) || /max-age=0/i.test(line)
    return cleared ? '' : value.join('=').trim()
  }
  return null
}
