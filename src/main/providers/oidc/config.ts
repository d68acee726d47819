/** The OpenID Connect backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { isPortText, optionalInput, parsedInput, serverUrlInput } from '../config-input.ts'

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

const ISSUER_WORDING = { noun: 'issuer URL', example: 'https://id.example.com' }

const schema = z.object({
  issuer: serverUrlInput(ISSUER_WORDING, 'Enter the issuer URL.'),
  clientId: z.string({ error: 'Enter the client ID.' }).trim().min(1, 'Enter the client ID.').max(1000, 'The client ID is too long.'),
  clientSecret: optionalInput,
  scopes: optionalInput
    .transform((value) => (value ?? DEFAULT_SCOPES).split(/\s+/).filter(Boolean))
    .refine((scopes) => scopes.includes('openid'), 'The scopes must include openid.')
    .refine((scopes) => scopes.every((scope) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)), 'Scopes are words separated by spaces, without quotes or backslashes.'),
  redirectPort: optionalInput.refine(
    (value) => value === undefined || isPortText(value, 1),
    'Enter a port between 1 and 65535, or leave it empty for any free port.',
  ),
  consent: optionalInput.refine(
    (value) => value === undefined || [CONSENT_WHEN_NEEDED, CONSENT_NEVER].includes(value.toLowerCase()),
    `Enter “${CONSENT_WHEN_NEEDED}” or “${CONSENT_NEVER}”.`,
  ),
  redirectPath: optionalInput.refine(
    (value) => value === undefined || /^\/[\w\-./~]*$/.test(value),
    'The redirect path must start with / (for example /callback).',
  ),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parseOidcConfig(input: BackendConfigInput): BackendConfig {
  const value = parsedInput(schema, input)
  const config: Record<string, string> = {
    issuer: value.issuer,
    clientId: value.clientId,
    scopes: value.scopes.join(' '),
    redirectPath: value.redirectPath ?? DEFAULT_REDIRECT_PATH,
  }
  if (value.clientSecret !== undefined) config.clientSecret = value.clientSecret
  if (value.redirectPort !== undefined) config.redirectPort = String(Number(value.redirectPort))
  // Only the non-default is stored, so accounts added before this setting keep matching.
  if (value.consent?.toLowerCase() === CONSENT_NEVER) config.consent = CONSENT_NEVER
  return config
}

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
