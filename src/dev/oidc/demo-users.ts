/** The people who can sign in to the local OpenID Connect server (demo and tests). */

export interface DemoUser {
  /** The login name and the subject (`sub`). */
  id: string
  password: string
  name: string
  email: string
}

export const DEFAULT_DEMO_USERS: readonly DemoUser[] = [
  { id: 'alice', password: 'wonderland', name: 'Alice Liddell', email: 'alice@example.test' },
  { id: 'bob', password: 'canwefixit', name: 'Bob Builder', email: 'bob@example.test' },
]

/** When the demo users' profiles last changed, as `updated_at` gives it: seconds since the epoch (2025-12-05 17:10:36 UTC). */
export const PROFILE_UPDATED_AT = 1_764_954_636

/** Standard claims for a user; oidc-provider hands out only those the granted scopes allow. */
export function claimsOf(user: DemoUser): Record<string, unknown> {
  const [givenName, ...rest] = user.name.split(' ')
  return {
    sub: user.id,
    name: user.name,
    given_name: givenName,
    family_name: rest.join(' ') || undefined,
    preferred_username: user.id,
    email: user.email,
    email_verified: true,
    updated_at: PROFILE_UPDATED_AT,
  }
}
