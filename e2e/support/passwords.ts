/**
 * Every password the specs type or set, in one place: the leak check after each test looks for
 * all of them. A spec that chooses a new password takes it from here, so the check knows it.
 */
import { DEFAULT_DEMO_USERS } from '../../src/dev/oidc/demo-users.ts'
import { DEMO_POCKETBASE_SUPERUSERS, DEMO_POCKETBASE_USERS } from '../../src/dev/pocketbase/demo-users.ts'
import { DEMO_TEABLE_USERS } from '../../src/dev/teable/demo-users.ts'
import { DEMO_SYNMETRIX_MFA_SECRET, DEMO_SYNMETRIX_USERS } from '../../src/dev/synmetrix/demo-users.ts'
import type { Secret } from './leaks.ts'

/** The passwords the specs choose: new ones, and a wrong one. */
export const CHOSEN_PASSWORDS = {
  /** ada's new password, set with Latchkey's "Change password". */
  changedHere: 'analytical-engine-1843',
  /** ada's new password, set on the server as if on another device. */
  changedElsewhere: 'changed-on-the-web-1843',
  /** Teable: a new account's password, a changed one, and one set from a reset email. */
  teableSignUp: 'matcha-latte-9',
  teableChanged: 'oolong-leaves-2024',
  teableReset: 'rooibos-red-2025',
  /** Typed on purpose to be refused. */
  wrong: 'not-her-password',
  /** A newcomer's password, chosen when registering on Synmetrix. */
  registered: 'first-day-at-synmetrix',
  /** Supabase: a new account's password, and passwords set with "Change password". */
  supabaseNewcomer: 'a-newcomer-password-1',
  supabaseChanged: 'e2e-changed-password-1',
  supabaseReauthenticated: 'e2e-changed-password-2',
  supabaseReset: 'e2e-reset-by-link-3',
} as const

/** The demo users' passwords (OpenID Connect, PocketBase, its superuser) and the ones the specs choose. */
export function typedPasswords(): Secret[] {
  const oidc = DEFAULT_DEMO_USERS.map((user) => ({ name: `${user.id}'s password`, value: user.password }))
  const pocketBase = [...DEMO_POCKETBASE_USERS, ...DEMO_POCKETBASE_SUPERUSERS].map((user) => ({ name: `${user.email}'s password`, value: user.password }))
  const teable = DEMO_TEABLE_USERS.flatMap((user) => (user.password === null ? [] : [{ name: `${user.email}'s password`, value: user.password }]))
  const synmetrix = DEMO_SYNMETRIX_USERS.flatMap((user) => (user.password === undefined ? [] : [{ name: `${user.email}'s password`, value: user.password }]))
  const chosen = Object.entries(CHOSEN_PASSWORDS).map(([name, value]) => ({ name: `the ${name} password`, value }))
  return [...oidc, ...pocketBase, ...teable, ...synmetrix, ...chosen, { name: 'the demo authenticator secret', value: DEMO_SYNMETRIX_MFA_SECRET }]
}

const codes: string[] = []

/** An authenticator code a spec typed (6 digits, looked for as a number of its own). */
export function typedCode(code: string): string {
  codes.push(code)
  return code
}

/** Every authenticator code the specs typed. */
export function typedCodes(): Secret[] {
  return codes.map((value) => ({ name: `authenticator code ${value}`, value }))
}
