/**
 * The `prompt` of an authorization request. `consent` only where a refresh token is asked for
 * (`offline_access`, OpenID Connect Core §11, or the server's own way: see offline-access.ts) and
 * the backend's settings allow it; for another
 * account next to one already there, `select_account` where the server lists it in
 * `prompt_values_supported`, else `login` (which every OpenID Connect server supports).
 */
import type * as oauth from 'oauth4webapi'
import type { SignInPurpose } from '../../core/provider.ts'
import type { OidcSettings } from './config.ts'

export function promptFor(settings: OidcSettings, server: oauth.AuthorizationServer, purpose: SignInPurpose, offline: boolean): string | null {
  const prompts: string[] = []
  if (purpose === 'another-account') {
    const supported = server.prompt_values_supported
    prompts.push(Array.isArray(supported) && supported.includes('select_account') ? 'select_account' : 'login')
  }
  if (settings.consent === 'when-needed' && offline) prompts.push('consent')
  return prompts.length === 0 ? null : prompts.join(' ')
}
