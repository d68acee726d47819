/**
 * The Teable backend's settings as stored: typed reading and the backend's name. No validation
 * library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'

export const TEABLE_CLOUD_URL = 'https://app.teable.ai'

/** BACKEND_SESSION_EXPIRES_IN's default: the session slides this far on each use. */
export const DEFAULT_SESSION_DAYS = 7

export interface TeableSettings {
  /** The server's origin, without a trailing slash. */
  url: string
  /** host[:port], for messages. */
  host: string
  /** How long the server keeps an unused session. */
  sessionMs: number
  /** The personal access token the account holds, if any (kept in the keychain). */
  token: string | null
}

export function readTeableSettings(config: BackendConfig): TeableSettings {
  const url = URL.parse(config.url ?? '')
  if (url === null) throw new AppError('VALIDATION', 'This account has no valid server address.', { field: 'url' })
  const days = Number(config.sessionDays ?? DEFAULT_SESSION_DAYS)
  const token = config.token
  return {
    url: url.origin,
    host: url.host,
    sessionMs: (Number.isFinite(days) && days > 0 ? days : DEFAULT_SESSION_DAYS) * 86_400_000,
    token: token === undefined || token === '' ? null : token,
  }
}

export function teableBackendName(config: BackendConfig): string {
  return readTeableSettings(config).host
}
