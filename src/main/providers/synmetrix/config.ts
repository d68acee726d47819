/** The Synmetrix backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { defaultedInput, isPortText, parsedInput, serverUrlInput } from '../config-input.ts'
import { SYNMETRIX_NAMESPACE } from './settings.ts'

export { HASURA_DEFAULT_NAMESPACE, readSettings, SYNMETRIX_NAMESPACE, synmetrixBackendName, type SynmetrixSettings } from './settings.ts'

/** The path of REDIRECT_URL_SUCCESS on the loopback: http://127.0.0.1:<linkPort>/synmetrix. */
export const LINK_RETURN_PATH = '/synmetrix'

export function linkReturnUrl(port: number): string {
  return `http://127.0.0.1:${String(port)}${LINK_RETURN_PATH}`
}

const schema = z.object({
  url: serverUrlInput({ noun: 'Synmetrix address', example: 'https://app.synmetrix.org' }, 'Enter the Synmetrix address.'),
  claimsNamespace: defaultedInput(SYNMETRIX_NAMESPACE).refine(
    (value) => value.length <= 200 && !/\s/.test(value),
    'A claims namespace is one word or URL, such as hasura.',
  ),
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

