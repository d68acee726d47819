/**
 * POST /auth/login, always asking for the refresh token in the JSON body (`cookie: false`). A server
 * with anonymous users on (ANONYMOUS_USERS_ENABLED) first checks every login body against a schema
 * that knows only `anonymous`, `email` and `password`, and refuses the `cookie` key with a 400. There
 * the login is sent again without it: HBP then answers in cookie mode and the refresh token comes only
 * in the `refresh_token` Set-Cookie (signed as `s:<token>.<signature>` when COOKIE_SECRET is set),
 * from where it is read into the answer. No cookie is ever kept or sent back.
 */
import { hbp } from './client.ts'
import type { HbpAnswer } from './client.ts'
import type { SynmetrixSettings } from './config.ts'
import { isRefreshToken } from './session.ts'

const COOKIE_REFUSED = '"cookie" is not allowed'

export async function postLogin(settings: SynmetrixSettings, fields: { email: string; password?: string }): Promise<HbpAnswer> {
  const answer = await hbp(settings, { method: 'POST', path: '/login', json: { ...fields, cookie: false } })
  if (answer.ok || answer.kind !== 'http' || answer.status !== 400 || answer.message !== COOKIE_REFUSED) return answer
  const again = await hbp(settings, { method: 'POST', path: '/login', json: fields })
  if (!again.ok || typeof again.body !== 'object' || again.body === null || !('jwt_token' in again.body)) return again
  const token = refreshTokenCookie(again.headers)
  return token === null ? again : { ...again, body: { ...again.body, refresh_token: token } }
}

/** The refresh token HBP set as a cookie, unsigned or signed; null when there is none. */
export function refreshTokenCookie(headers: Headers): string | null {
  for (const cookie of headers.getSetCookie()) {
    const match = /^refresh_token=([^;]*)/.exec(cookie)
    if (match === null) continue
    let value: string
    try {
      value = decodeURIComponent(match[1] ?? '')
    } catch {
      continue
    }
    if (value.startsWith('s:')) value = value.slice(2, value.lastIndexOf('.') > 2 ? value.lastIndexOf('.') : undefined)
    if (isRefreshToken(value)) return value
  }
  return null
}
