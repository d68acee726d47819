import type { CredentialStatus } from '../../../shared/contract.ts'
import type { Profile } from '../profile.ts'
/** A signed-in session as the main process holds it. Lives in memory and in the keychain only. */
export interface Session {
  accessToken: string
  refreshToken: string | null
  idToken: string | null
  tokenType: string
  scopes: string[]
  /** Access-token expiry, ms since the epoch; null when the server did not say. */
  expiresAt: number | null
  /** When this access token was obtained, ms since the epoch. */
  issuedAt: number
  /**
   * True when the server never renews this token (PocketBase impersonation, BosBase): `refresh`
   * only checks it is still valid and gives it back unchanged, so no timer renews it.
   */
  isStatic?: boolean
}

/**
 * What is known of a session without opening it: when it was issued and expires, and how it
 * renews. Kept in the account's clear record, so the scheduler and the account list need no
 * decryption; never a token.
 */
export interface SessionFacts {
  /** As `Session.expiresAt`. */
  expiresAt: number | null
  /** As `Session.issuedAt`. */
  issuedAt: number
  /** Whether the session holds a refresh token. */
  refreshable: boolean
  /** As `Session.isStatic`. */
  isStatic?: true
}

export function factsOf(session: Session): SessionFacts {
  return {
    expiresAt: session.expiresAt,
    issuedAt: session.issuedAt,
    refreshable: session.refreshToken !== null,
    ...(session.isStatic === true ? { isStatic: true as const } : {}),
  }
}

/** Who signed in, as far as the backend told us. Not secret; stored with the account's settings. */
export interface Identity {
  subject: string
  name: string | null
  email: string | null
}

/** Everything a completed sign-in or refresh yields. */
export interface SignedIn {
  session: Session
  identity: Identity
  /** Profile claims to show (from the ID token and userinfo). */
  profile: Profile
  /** Credentials held next to the session, each with its own status (absent: none to show). */
  credentials?: CredentialStatus[]
}
