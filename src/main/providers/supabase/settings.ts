/**
 * The Supabase backend's settings as stored: typed reading and the backend's name. No validation
 * library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { apiKeyProblem } from './api-key.ts'

export interface SupabaseSettings {
  /** The Auth root every endpoint hangs off, without a trailing slash (…/auth/v1 on hosted projects). */
  authUrl: string
  /** host[:port], for messages. */
  host: string
  apiKey: string
}

export function readSettings(config: BackendConfig): SupabaseSettings {
  const url = URL.parse(config.url ?? '')
  const apiKey = config.apiKey ?? ''
  if (url === null || apiKey === '' || apiKeyProblem(apiKey) !== null) {
    throw new AppError('VALIDATION', 'This account has no valid project URL or API key.', { field: 'url' })
  }
  return { authUrl: url.href.replace(/\/+$/, ''), host: url.host, apiKey }
}

export function supabaseBackendName(config: BackendConfig): string {
  return readSettings(config).host
}
