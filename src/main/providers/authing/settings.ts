/**
 * The Authing backend's settings as stored: typed reading and the backend's name. No validation
 * library: the `latchkey` command reads them on its hot path.
 */
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'

export const DEFAULT_REDIRECT_PATH = '/callback'

export interface AuthingSettings {
  /** The app host (https://<app>.authing.cn or a private deployment), without a trailing slash. */
  appHost: string
  /** host[:port], for messages. */
  host: string
  userPoolId: string
  appId: string
  /** The OIDC client id for browser sign-in (on Authing the app id), or null when browser sign-in is not set up. */
  oidcClientId: string | null
  /** The loopback port registered as the app's login callback, or null (no browser sign-in). */
  redirectPort: number | null
  redirectPath: string
}

/** Typed view of a configuration that `parseAuthingConfig` produced. */
export function readSettings(config: BackendConfig): AuthingSettings {
  const url = URL.parse(config.appHost ?? '')
  if (url === null || config.userPoolId === undefined || config.appId === undefined) {
    throw new AppError('VALIDATION', 'This account has no valid app host, user pool ID or app ID.', { field: 'appHost' })
  }
  const port = Number(config.redirectPort ?? '')
  return {
    appHost: url.href.replace(/\/+$/, ''),
    host: url.host,
    userPoolId: config.userPoolId,
    appId: config.appId,
    oidcClientId: config.redirectPort === undefined ? null : (config.oidcClientId ?? config.appId),
    redirectPort: Number.isInteger(port) && port > 0 ? port : null,
    redirectPath: config.redirectPath ?? DEFAULT_REDIRECT_PATH,
  }
}

export function authingBackendName(config: BackendConfig): string {
  return readSettings(config).host
}
