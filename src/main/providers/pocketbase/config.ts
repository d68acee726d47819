/** The PocketBase backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { defaultedInput, optionalInput, parsedInput, serverUrlInput } from '../config-input.ts'
import { collectionNameProblem, DEFAULT_COLLECTION, normalisedUrl, OAUTH2_VIA_LOOPBACK, OAUTH2_VIA_SERVER, SUPERUSERS, type PocketBaseSettings } from './settings.ts'

export { collectionNameProblem, DEFAULT_COLLECTION, OAUTH2_VIA_LOOPBACK, OAUTH2_VIA_SERVER, pocketBaseBackendName, readSettings, SUPERUSERS, type PocketBaseSettings } from './settings.ts'

const schema = z.object({
  url: serverUrlInput({ noun: 'server address', example: 'https://pb.example.com' }, 'Enter the server address.'),
  collection: defaultedInput(DEFAULT_COLLECTION).superRefine((value, ctx) => {
      const problem = collectionNameProblem(value)
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
    }),
  oauth2Redirect: optionalInput.refine(
    (value) => value === undefined || [OAUTH2_VIA_SERVER, OAUTH2_VIA_LOOPBACK].includes(value.toLowerCase()),
    `Enter “${OAUTH2_VIA_SERVER}” or “${OAUTH2_VIA_LOOPBACK}”.`,
  ),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parsePocketBaseConfig(input: BackendConfigInput): BackendConfig {
  const parsed = parsedInput(schema, input)
  // `impersonatedBy` is never taken from what the person typed: only impersonation sets it.
  const config = { url: normalisedUrl(new URL(parsed.url).href), collection: parsed.collection }
  // Only the non-default is stored, so accounts added before this setting keep matching.
  return parsed.oauth2Redirect?.toLowerCase() === OAUTH2_VIA_LOOPBACK ? { ...config, oauth2Redirect: 'loopback' } : config
}

/** The configuration of an account made by impersonation from a superuser account. */
export function impersonationConfig(settings: PocketBaseSettings, collection: string, superuserEmail: string): BackendConfig {
  return { url: settings.url, collection, impersonatedBy: superuserEmail }
}

export function isSuperusers(settings: PocketBaseSettings): boolean {
  return settings.collection === SUPERUSERS
}

