/**
 * The Synmetrix backend's settings as stored: typed reading and the backend's name. No validation
 * library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'

/** Synmetrix's JWT_CLAIMS_NAMESPACE; HBP's own default is https://hasura.io/jwt/claims. */
export const SYNMETRIX_NAMESPACE = 'hasura'
export const HASURA_DEFAULT_NAMESPACE = 'https://hasura.io/jwt/claims'

export interface SynmetrixSettings {
  /** The Synmetrix address without a trailing slash; HBP answers under `${url}/auth`. */
  url: string
  /** host[:port], for messages. */
  host: string
  claimsNamespace: string
  /** The Hasura role other tools should use with this account (chosen by the person), or null. */
  role: string | null
  /**
   * The loopback port this server's REDIRECT_URL_SUCCESS points at (http://127.0.0.1:<port>/synmetrix),
   * so a sign-in link opened in the browser comes back to Latchkey; null = links are pasted.
   */
  linkPort: number | null
}

export function readSettings(config: BackendConfig): SynmetrixSettings {
  const url = URL.parse(config.url ?? '')
  if (url === null) throw new AppError('VALIDATION', 'This account has no valid Synmetrix address.', { field: 'url' })
  const role = config.role
  return {
    url: url.href.replace(/\/+$/, ''),
    host: url.host,
    claimsNamespace: config.claimsNamespace === undefined || config.claimsNamespace === '' ? SYNMETRIX_NAMESPACE : config.claimsNamespace,
    role: role === undefined || role === '' ? null : role,
    linkPort: /^\d{1,5}$/.test(config.linkPort ?? '') ? Number(config.linkPort) : null,
  }
}

export function synmetrixBackendName(config: BackendConfig): string {
  return readSettings(config).host
}
