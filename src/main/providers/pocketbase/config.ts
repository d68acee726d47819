/** The PocketBase backend's settings: validation of what the person typed, and typed reading. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { defaultedInput, parsedInput, serverUrlInput } from '../config-input.ts'
import { collectionNameProblem, DEFAULT_COLLECTION, normalisedUrl, SUPERUSERS, type PocketBaseSettings } from './settings.ts'

export { collectionNameProblem, DEFAULT_COLLECTION, pocketBaseBackendName, readSettings, SUPERUSERS, type PocketBaseSettings } from './settings.ts'

const schema = z.object({
  url: serverUrlInput({ noun: 'server address', example: 'https://pb.example.com' }, 'Enter the server address.'),
  collection: defaultedInput(DEFAULT_COLLECTION).superRefine((value, ctx) => {
      const problem = collectionNameProblem(value)
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
    }),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parsePocketBaseConfig(input: BackendConfigInput): BackendConfig {
  const parsed = parsedInput(schema, input)
  // `impersonatedBy` is never taken from what the person typed: only impersonation sets it.
  return { url: normalisedUrl(new URL(parsed.url).href), collection: parsed.collection }
}

/** The configuration of an account made by impersonation from a superuser account. */
export function impersonationConfig(settings: PocketBaseSettings, collection: string, superuserEmail: string): BackendConfig {
  return { url: settings.url, collection, impersonatedBy: superuserEmail }
}

export function isSuperusers(settings: PocketBaseSettings): boolean {
  return settings.collection === SUPERUSERS
}

