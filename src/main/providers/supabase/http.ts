/**
 * The two calls Latchkey makes without auth-js, because auth-js hides what the core must know:
 * refresh (auth-js retries network failures for up to 30 s and caches failures, while the core
 * schedules its own retries) and logout (auth-js swallows 401/403/404, so "already ended" and
 * "revoked now" look the same). Same headers as auth-js, including the API version.
 */
import { retryAtFrom } from '../../core/retry-at.ts'
import { httpFetch } from '../http-fetch.ts'
import { REQUEST_TIMEOUT_MS } from './client.ts'
import type { SupabaseSettings } from './config.ts'
import type { AuthFailure } from './errors.ts'

export type Answer = { ok: true; status: number; body: unknown } | { ok: false; failure: AuthFailure }

export async function gotrue(settings: SupabaseSettings, method: 'GET' | 'POST', path: string, options: { bearer?: string; body?: unknown } = {}): Promise<Answer> {
  let response: Response
  try {
    response = await httpFetch(`${settings.authUrl}${path}`, {
      method,
      headers: {
        apikey: settings.apiKey,
        authorization: `Bearer ${options.bearer ?? settings.apiKey}`,
        'content-type': 'application/json;charset=UTF-8',
        'x-supabase-api-version': '2024-01-01',
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      timeoutMs: REQUEST_TIMEOUT_MS,
      redirect: 'error',
    })
  } catch {
    return { ok: false, failure: { status: 0, code: '', message: 'unreachable' } }
  }
  const raw = await response.text().catch(() => '')
  let body: unknown
  try {
    body = raw === '' ? null : JSON.parse(raw)
  } catch {
    // Not JSON: not Supabase Auth's answer (a proxy or another server).
    return response.ok ? { ok: false, failure: { status: -1, code: '', message: 'not JSON' } } : { ok: false, failure: { status: response.status, code: '', message: `HTTP ${String(response.status)}` } }
  }
  if (response.ok) return { ok: true, status: response.status, body }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const code = typeof record.code === 'string' ? record.code : typeof record.error_code === 'string' ? record.error_code : typeof record.error === 'string' ? record.error : ''
  const message = [record.message, record.msg, record.error_description].find((value): value is string => typeof value === 'string')
  const retryAt = response.status === 429 ? retryAtFrom(response.headers, Date.now()) : null
  return { ok: false, failure: { status: response.status, code, message: message ?? `HTTP ${String(response.status)}`, ...(retryAt === null ? {} : { retryAt }) } }
}
