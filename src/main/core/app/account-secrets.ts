/**
 * What the keychain holds for one account: the session plus any secret part of the backend
 * configuration (a client secret). Stored as one JSON string under the account id.
 */
import { z } from 'zod'
import type { Session } from '../sessions/session.ts'

export interface AccountSecrets {
  session: Session | null
  config: Record<string, string>
}

const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  idToken: z.string().nullable(),
  tokenType: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.number().nullable(),
  issuedAt: z.number(),
  isStatic: z.boolean().optional(),
})

const secretsSchema = z.object({
  v: z.literal(1),
  session: sessionSchema.nullable(),
  config: z.record(z.string(), z.string()),
})

export function encodeSecrets(secrets: AccountSecrets): string {
  return JSON.stringify({ v: 1, session: secrets.session, config: secrets.config })
}

/** Returns null for anything unreadable (a changed keyring backend, a damaged entry): sign in again. */
export function decodeSecrets(text: string | undefined): AccountSecrets | null {
  if (text === undefined) return null
  try {
    const parsed = secretsSchema.safeParse(JSON.parse(text))
    if (!parsed.success) return null
    const session = parsed.data.session
    // exactOptionalPropertyTypes: an absent flag stays absent rather than becoming `undefined`.
    return { session: session && { ...session, ...(session.isStatic ? { isStatic: true } : {}) }, config: parsed.data.config }
  } catch {
    return null
  }
}
