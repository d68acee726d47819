/** The OpenID Connect backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { isPortText, optionalInput, parsedInput, serverUrlInput } from '../config-input.ts'
import { CONSENT_NEVER, CONSENT_WHEN_NEEDED, DEFAULT_REDIRECT_PATH, DEFAULT_SCOPES } from './settings.ts'

export { CONSENT_NEVER, CONSENT_WHEN_NEEDED, DEFAULT_REDIRECT_PATH, DEFAULT_SCOPES, oidcBackendName, readSettings, type OidcSettings } from './settings.ts'

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

