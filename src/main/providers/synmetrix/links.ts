/**
 * What Latchkey does with a link or token the person brings from an email, after what HBP does with it:
 *   - a sign-in ("magic") link `…/auth/magic-link?action=log-in&token=T`: T already is a refresh token
 *     (HBP stored it when it sent the mail), so Latchkey exchanges it at /auth/token/refresh, which
 *     rotates it: the emailed token stops working;
 *   - an activation link `…/auth/activate?ticket=T` or a registration link `…/auth/magic-link?action=register&token=T`:
 *     HBP activates the account and redirects to its success page with `?refresh_token=` appended;
 *     Latchkey reads that from the redirect (never following it, ignoring any cookie) and exchanges it;
 *   - the success page's own address with `?refresh_token=R` (copied from the browser): R is exchanged.
 * A link for another server is refused before anything is sent.
 */
import { AppError } from '../../core/errors.ts'
import type { ProviderContext } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { hbp } from './client.ts'
import type { SynmetrixSettings } from './config.ts'
import { failureError } from './errors.ts'
import { isRefreshToken, NotASession, signedInFrom } from './session.ts'

export type Pasted = { kind: 'refresh-token'; token: string } | { kind: 'activation'; ticket: string } | { kind: 'register'; ticket: string }

/** Reads a pasted link or bare token; `bare` says what a bare UUID is in this step. */
export function readPasted(text: string, settings: SynmetrixSettings, bare: 'refresh-token' | 'activation'): Pasted {
  const value = text.trim()
  if (isRefreshToken(value)) return bare === 'activation' ? { kind: 'activation', ticket: value } : { kind: 'refresh-token', token: value }
  const url = URL.parse(value)
  if (url === null) throw new AppError('VALIDATION', 'Paste the whole link from the email, or the token in it.', { field: 'link' })
  const fromRedirect = url.searchParams.get('refresh_token')
  if (fromRedirect !== null && isRefreshToken(fromRedirect)) return { kind: 'refresh-token', token: fromRedirect }
  if (url.host !== settings.host) throw new AppError('VALIDATION', `This link is for ${url.host}, not ${settings.host}.`, { field: 'link' })
  const token = url.searchParams.get('token') ?? url.searchParams.get('ticket') ?? ''
  if (!isRefreshToken(token)) throw new AppError('VALIDATION', 'This link has no token Latchkey can use. Paste the whole link from the email.', { field: 'link' })
  if (url.pathname.endsWith('/auth/activate')) return { kind: 'activation', ticket: token }
  if (url.pathname.endsWith('/auth/magic-link')) {
    return url.searchParams.get('action') === 'register' ? { kind: 'register', ticket: token } : { kind: 'refresh-token', token }
  }
  throw new AppError('VALIDATION', 'This is not a sign-in or activation link from this server.', { field: 'link' })
}

/** Exchanges a refresh token (from a magic link or a redirect) for a session: GET /auth/token/refresh rotates it. */
export async function exchangeRefreshToken(settings: SynmetrixSettings, token: string, ctx: ProviderContext): Promise<SignedIn> {
  const answer = await hbp(settings, { method: 'GET', path: '/token/refresh', query: { refresh_token: token }, usesUp: true })
  const now = ctx.clock.now()
  if (!answer.ok) {
    if (answer.kind === 'http' && answer.status === 401) {
      throw new AppError('AUTH_FAILED', 'This link or token has expired or was already used, or the account is not active. Ask for a new one.')
    }
    throw failureError(answer, { host: settings.host, now })
  }
  try {
    return signedInFrom(answer.body, settings, now)
  } catch (error) {
    if (error instanceof NotASession) throw new AppError('AUTH_FAILED', `${settings.host} did not answer with a session Latchkey can use.`)
    throw error
  }
}

/** Activation or registration ticket → HBP's redirect → its refresh token → a session. */
export async function redeem(settings: SynmetrixSettings, pasted: Pasted, ctx: ProviderContext): Promise<SignedIn> {
  if (pasted.kind === 'refresh-token') return exchangeRefreshToken(settings, pasted.token, ctx)
  const request: { path: string; query: Record<string, string> } =
    pasted.kind === 'activation'
      ? // /auth/activate's schema allows `ticket` only (a `cookie` parameter is a 400), so HBP answers in
        // cookie mode: the Set-Cookie headers are ignored, the token is read from the redirect.
        { path: '/activate', query: { ticket: pasted.ticket } }
      : { path: '/magic-link', query: { action: 'register', token: pasted.ticket, cookie: 'false' } }
  const answer = await hbp(settings, { method: 'GET', ...request, manualRedirect: true, usesUp: true })
  const now = ctx.clock.now()
  if (!answer.ok) {
    if (answer.kind === 'http' && answer.status === 500) {
      throw new AppError('UNSUPPORTED', `${settings.host} could not activate the account: its success page (REDIRECT_URL_SUCCESS) may not be set. Ask the administrator.`)
    }
    throw failureError(answer, { host: settings.host, now })
  }
  const location = answer.headers.get('location') ?? ''
  const token = URL.parse(location, settings.url)?.searchParams.get('refresh_token') ?? null
  if (token === null || !isRefreshToken(token)) {
    throw new AppError('AUTH_FAILED', `${settings.host} did not activate the account: the link may have expired or been used already. Sign in, or ask for a new link.`)
  }
  return exchangeRefreshToken(settings, token, ctx)
}
