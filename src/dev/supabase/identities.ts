/**
 * The email and phone identities as Supabase Auth writes them. Their identity_data is the
 * provider.Claims map: `sub`, the address or number when there is one, and email_verified and
 * phone_verified always; sign-up `data` fills in names the claims do not have. The account's
 * user_metadata starts as the same map. Later steps change only what they confirm: the emailed
 * sign-up code verifies the email identity, a confirmed email or phone change writes the new
 * address or number into its identity (making one, verified, when the account had none).
 */
import type { IdentityRow, Store, UserRow } from './store.ts'

interface Claims {
  email?: string
  phone?: string
  emailVerified: boolean
  phoneVerified: boolean
}

function claims(user: UserRow, given: Claims): Record<string, unknown> {
  return {
    sub: user.id,
    ...(given.email === undefined || given.email === '' ? {} : { email: given.email }),
    ...(given.phone === undefined || given.phone === '' ? {} : { phone: given.phone }),
    email_verified: given.emailVerified,
    phone_verified: given.phoneVerified,
  }
}

/** Sign-up (POST /signup, or /otp making the account): one identity for the address or number, its data also the account's metadata. */
export function addSignUpIdentity(store: Store, user: UserRow, provider: 'email' | 'phone', data: Record<string, unknown>): void {
  // Only the email claim is set at sign-up: a phone identity's data holds no number.
  const identityData = { ...data, ...claims(user, { email: provider === 'email' ? user.email : '', emailVerified: false, phoneVerified: false }) }
  store.addIdentity(user, provider, user.id, identityData)
  user.userMetadata = { ...identityData }
}

/** An account made by the admin API (and the emulator's seeded people): an identity for each of its email and phone, neither marked verified. */
export function addAdminIdentities(store: Store, user: UserRow): void {
  if (user.email !== '') store.addIdentity(user, 'email', user.id, claims(user, { email: user.email, emailVerified: false, phoneVerified: false }))
  if (user.phone !== '') store.addIdentity(user, 'phone', user.id, claims(user, { phone: user.phone, emailVerified: false, phoneVerified: false }))
  // Confirming the address on creation marks it verified in the metadata (User.Confirm).
  if (user.emailConfirmedAt !== null) user.userMetadata = { ...user.userMetadata, email_verified: true }
}

function identityOf(user: UserRow, provider: 'email' | 'phone'): IdentityRow | undefined {
  return user.identities.find((identity) => identity.provider === provider)
}

/** signupVerify: the identity with the account's address is verified. */
export function verifyEmailIdentity(user: UserRow): void {
  for (const identity of user.identities) if (user.email !== '' && identity.data.email === user.email) identity.data = { ...identity.data, email_verified: true }
}

/** emailChangeVerify: the email identity takes the new address, verified; an account without one gets one. */
export function confirmEmailIdentity(store: Store, user: UserRow, address: string): void {
  const identity = identityOf(user, 'email')
  if (identity === undefined) store.addIdentity(user, 'email', user.id, claims(user, { email: address, emailVerified: true, phoneVerified: false }))
  else identity.data = { ...identity.data, email: address, email_verified: true }
}

/** smsVerify for phone_change: the phone identity takes the new number, verified; an account without one gets one. */
export function confirmPhoneIdentity(store: Store, user: UserRow, phone: string): void {
  const identity = identityOf(user, 'phone')
  if (identity === undefined) store.addIdentity(user, 'phone', user.id, claims(user, { phone, emailVerified: false, phoneVerified: true }))
  else identity.data = { ...identity.data, phone, phone_verified: true }
}
