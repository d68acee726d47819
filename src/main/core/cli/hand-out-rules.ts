/**
 * Rules both hand-out paths follow: the core's (TokenHandOut) and the `latchkey` command's own
 * answer for a still-valid token when no Latchkey runs (src/cli/direct.ts). No imports.
 */
import type { ProviderKind } from '../../../shared/contract.ts'

export const DEFAULT_MIN_TTL_SECONDS = 60
/** The longest minimum lifetime a caller may ask for (a day): more is a mistake, not a need. */
export const MAX_MIN_TTL_SECONDS = 86_400

/** The caller's minimum remaining lifetime, in milliseconds, within the bounds. */
export function minTtlMs(seconds: number | undefined): number {
  return Math.min(Math.max(seconds ?? DEFAULT_MIN_TTL_SECONDS, 0), MAX_MIN_TTL_SECONDS) * 1000
}

/**
 * Backends whose token for other tools is the session's own access token (no hand-out of their
 * own), so the command may hand it out from the sealed session. A test holds this to the providers.
 */
export const SESSION_TOKEN_BACKENDS: readonly ProviderKind[] = ['oidc', 'pocketbase', 'authing', 'supabase']
