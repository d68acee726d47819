/** The Teable backend's settings: the server address and, optionally, a pasted personal access token. */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { defaultedInput, parsedInput, serverUrlCheck } from '../config-input.ts'
import { DEFAULT_SESSION_DAYS, TEABLE_CLOUD_URL } from './settings.ts'

export { DEFAULT_SESSION_DAYS, readTeableSettings, TEABLE_CLOUD_URL, teableBackendName, type TeableSettings } from './settings.ts'

/** `teable_<id>_<sign>`: what a pasted token must look like (a malformed one makes the server answer 500). */
export const PAT_SHAPE = /^teable_acc[A-Za-z0-9]+_[A-Za-z0-9+/]+={0,2}$/

export function patProblem(token: string): string | null {
  return PAT_SHAPE.test(token) ? null : 'A Teable personal access token looks like teable_acc…_… (copy it whole from the Access tokens page).'
}

const schema = z.object({
  url: defaultedInput(TEABLE_CLOUD_URL).superRefine(serverUrlCheck({ noun: 'server address', example: TEABLE_CLOUD_URL })),
  sessionDays: defaultedInput(String(DEFAULT_SESSION_DAYS)).refine(
    (value) => /^\d+(\.\d+)?$/.test(value) && Number(value) >= 0.01 && Number(value) <= 365,
    'Enter the session lifetime in days, between 0.01 and 365.',
  ),
  token: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || value === '' || patProblem(value) === null, patProblem('') ?? ''),
})

/** Validates what the person typed; throws AppError('VALIDATION', …, { field }) on the first problem. */
export function parseTeableConfig(input: BackendConfigInput): BackendConfig {
  const parsed = parsedInput(schema, input)
  const url = new URL(parsed.url)
  const config: Record<string, string> = { url: url.origin, sessionDays: parsed.sessionDays }
  if (parsed.token !== undefined && parsed.token !== '') config.token = parsed.token
  return config
}

