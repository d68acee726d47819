/**
 * The Supabase backend's settings: the project URL (hosted `https://<ref>.supabase.co`, whose Auth
 * lives under /auth/v1, or the root of a self-hosted Auth server) and the public API key.
 */
import { z } from 'zod'
import type { BackendConfigInput } from '../../../shared/contract.ts'
import type { BackendConfig } from '../../core/provider.ts'
import { parsedInput, serverUrlInput } from '../config-input.ts'
import { apiKeyProblem } from './api-key.ts'

export { readSettings, supabaseBackendName, type SupabaseSettings } from './settings.ts'

const schema = z.object({
  url: serverUrlInput({ noun: 'project URL', example: 'https://abcdefghijklmnop.supabase.co' }, 'Enter the project URL.'),
  apiKey: z.string({ error: 'Enter the project’s anon or publishable key.' }).trim().min(1, 'Enter the project’s anon or publishable key.').superRefine((value, ctx) => {
    const problem = apiKeyProblem(value)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  }),
})

/** A hosted project's URL names the project; its Auth server is under /auth/v1. */
export function authUrlOf(projectUrl: string): string {
  const url = new URL(projectUrl)
  const path = url.pathname.replace(/\/+$/, '')
  if (url.hostname.endsWith('.supabase.co') && path === '') return `${url.origin}/auth/v1`
  return `${url.origin}${path}`
}

export function parseSupabaseConfig(input: BackendConfigInput): BackendConfig {
  const parsed = parsedInput(schema, input)
  return { url: authUrlOf(parsed.url), apiKey: parsed.apiKey }
}

