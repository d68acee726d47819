/**
 * The project's API key: only a public one (the legacy `anon` JWT, or an `sb_publishable_…` key) may
 * sit in a desktop app. A `service_role` JWT or an `sb_secret_…` key bypasses every row-level rule
 * of the project, so it is refused with a clear reason, never stored.
 */
import { decodeJwt } from 'jose'

/** Why this key must not be used, or null when it is a public key. */
export function apiKeyProblem(key: string): string | null {
  if (key.startsWith('sb_secret_')) {
    return 'This is a secret key (sb_secret_…), which gives full access to the project. Use the publishable key (sb_publishable_…) or the anon key instead.'
  }
  if (key.startsWith('sb_publishable_')) return null
  let role: unknown
  try {
    role = decodeJwt(key).role
  } catch {
    return 'This does not look like a Supabase API key. Copy the anon or publishable key from the project’s API settings.'
  }
  if (role === 'service_role' || role === 'supabase_admin') {
    return 'This is the service_role key, which bypasses every access rule of the project and must never be put in a desktop app. Use the anon (public) key instead.'
  }
  if (role !== 'anon') return `This key is for the “${String(role)}” role. Use the project’s anon (public) key.`
  return null
}
