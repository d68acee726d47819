/**
 * The OpenID Connect backend's settings as stored: typed reading and the backend's name. No
 * validation library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'

export const DEFAULT_SCOPES = 'openid profile email offline_access'
export const DEFAULT_REDIRECT_PATH = '/callback'

export interface OidcSettings {
  issuer: URL
  clientId: string
  /** null for a public client (the RFC 8252 default). */
  clientSecret: string | null
  scopes: string[]
  /** 0 = an ephemeral port. */
  redirectPort: number
  redirectPath: string
  /** 'when-needed': prompt=consent when asking for offline_access; 'never': not sent at all. */
  consent: 'when-needed' | 'never'
}

/** What the person types in the consent setting, and how it is stored (only 'never' is). */
export const CONSENT_WHEN_NEEDED = 'when needed'
export const CONSENT_NEVER = 'never'

/** Typed view of a configuration that `parseOidcConfig` produced. */
export function readSettings(config: BackendConfig): OidcSettings {
  const issuer = URL.parse(config.issuer ?? '')
  if (issuer === null || config.clientId === undefined) {
    throw new AppError('VALIDATION', 'This account has no valid issuer URL or client ID.', { field: 'issuer' })
  }
  return {
    issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret === undefined || config.clientSecret === '' ? null : config.clientSecret,
    scopes: (config.scopes ?? DEFAULT_SCOPES).split(/\s+/).filter(Boolean),
    redirectPort: Number(config.redirectPort ?? '0') || 0,
    redirectPath: config.redirectPath ?? DEFAULT_REDIRECT_PATH,
    consent: config.consent === CONSENT_NEVER ? 'never' : 'when-needed',
  }
}

export function oidcBackendName(config: BackendConfig): string {
  return readSettings(config).issuer.host
}
