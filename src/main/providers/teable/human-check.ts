/**
 * Cloudflare Turnstile in front of Teable's password sign-in and sign-up (TURNSTILE_SITE_KEY and
 * its secret): the token it needs comes only from the widget on the server's own page, so
 * Latchkey can never send one. The sign-in refusal reads like a wrong password, so the public
 * settings (`GET /api/admin/setting/public`, whose turnstileSiteKey is null while the check is off)
 * tell the two apart.
 */
import { AppError } from '../../core/errors.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'

export function humanCheckError(settings: TeableSettings): AppError {
  return new AppError(
    'AUTH_FAILED',
    `${settings.host} asks for a human check (Cloudflare Turnstile) that only its own web page can show, so Latchkey cannot sign in or create an account there with a password. ` +
      'Use “Sign in in your browser” if this server allows it, or an access token from its Access tokens page.',
  )
}

/** Whether the server's public settings name a Turnstile site key (false when they cannot be read). */
export async function asksForHumanCheck(settings: TeableSettings): Promise<boolean> {
  const result = await teableCall(settings, { method: 'GET', path: '/admin/setting/public' })
  if (!result.ok || result.answer.status !== 200) return false
  const key = (result.answer.body as { turnstileSiteKey?: unknown } | null)?.turnstileSiteKey
  return typeof key === 'string' && key !== ''
}
