/** The Synmetrix backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { isPortText, parsedInput, serverUrlInput } from '../config-input.ts'

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

/** The path of REDIRECT_URL_SUCCESS on the loopback: http://127.0.0.1:<linkPort>/synmetrix. */
export const LINK_RETURN_PATH = '/synmetrix'

export function linkReturnUrl(port: number): string {
  return `http://127.0.0.1:${String(port)}${LINK_RETURN_PATH}`
}

const schema = z.object({
  url: serverUrlInput({ noun: 'Synmetrix address', example: 'https://app.synmetrix.org' }, 'Enter the Synmetrix address.'),
  claimsNamespace: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? SYNMETRIX_NAMESPACE : value))
    .refine((value) => value.length <= 200 && !/\s/.test(value), 'A claims namespace is one word or URL, such as hasura.'),
  linkPort: z
    .string()
    .trim()
    .optional()
    .refine(
      (value) => value === undefined || value === '' || isPortText(value, 1024),
      'Enter the port of the server’s success redirect (1024–65535), or leave it empty to paste sign-in links.',
    ),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parseSynmetrixConfig(input: BackendConfigInput): BackendConfig {
  const parsed = parsedInput(schema, input)
  // A base that already ends in /auth is the HBP address itself: keep the Synmetrix address.
  const url = new URL(parsed.url).href.replace(/\/+$/, '').replace(/\/auth$/, '')
  return { url, claimsNamespace: parsed.claimsNamespace, ...(parsed.linkPort === undefined || parsed.linkPort === '' ? {} : { linkPort: String(Number(parsed.linkPort)) }) }
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
