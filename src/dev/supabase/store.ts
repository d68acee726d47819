/**
 * The emulator's tables, as GoTrue keeps them in Postgres: users (with identities and factors),
 * sessions, refresh tokens (the parent chain of rotation), one-time tokens and PKCE flow states.
 * Logging out deletes the session and, by the foreign key's cascade, its refresh tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto'

export interface Factor {
  id: string
  friendly_name: string
  factor_type: 'totp' | 'phone'
  status: 'unverified' | 'verified'
  /** TOTP: the base32 secret ('' for a phone factor). */
  secret: string
  /** Phone: digits only ('' for TOTP). */
  phone: string
  /** When a code was last texted for it (MFA.Phone.MaxFrequency). */
  lastChallengedAt: number | null
  created_at: string
  updated_at: string
}

export interface UserRow {
  id: string
  email: string
  phone: string
  password: string | null
  emailConfirmedAt: string | null
  phoneConfirmedAt: string | null
  userMetadata: Record<string, unknown>
  isAnonymous: boolean
  banned: boolean
  createdAt: string
  /** Moves with every write to the account (the server's users.updated_at). */
  updatedAt: string
  lastSignInAt: string | null
  /** When the last code or link of each kind was sent (confirmation_sent_at, recovery_sent_at, …). */
  sentAt: Partial<Record<SentKind, string>>
  /**
   * A pending email change. With secure change both addresses confirm, each with the code sent to
   * it; `confirmations` counts the codes accepted. A code that confirmed is spent (''), but for a
   * change asked with a PKCE challenge (`pkce`): the server keeps those tokens with a "pkce_"
   * prefix, and its first confirmation then clears neither.
   */
  emailChange: { address: string; currentToken: string; newToken: string; confirmations: number; pkce: boolean } | null
  phoneChange: { phone: string; token: string } | null
  factors: Factor[]
  /** The last reauthentication nonce sent. */
  reauthNonce: { token: string; sentAt: number } | null
  /** Every way to sign in, oldest first (the email and phone identities, and OAuth providers signed in with or linked by hand). */
  identities: IdentityRow[]
}

export type SentKind = 'confirmation' | 'recovery' | 'email_change' | 'phone_change' | 'reauthentication'

export interface IdentityRow {
  identityId: string
  provider: string
  /** The provider's `sub` (the user's id for the email and phone identities). */
  providerId: string
  /** identity_data: set when the identity is made, later changed only by the steps that confirm it. */
  data: Record<string, unknown>
  createdAt: string
}

export interface SessionRow {
  id: string
  userId: string
  aal: 'aal1' | 'aal2'
  amr: { method: string; timestamp: number }[]
  createdAt: number
  refreshedAt: number
  recovery: boolean
}

export interface RefreshRow {
  token: string
  sessionId: string
  parent: string | null
  revoked: boolean
  updatedAt: number
}

/** An emailed (or texted) one-time token: the 6-digit code and, for links, a hash. */
export interface OneTimeToken {
  userId: string
  type: 'signup' | 'magiclink' | 'recovery' | 'sms' | 'phone_change'
  code: string
  hash: string
  sentAt: number
  /** PKCE flow state this token was sent for (link clicked → `?code=`). */
  flowStateId: string | null
  redirectTo: string | null
}

export interface FlowState {
  id: string
  authCode: string
  /** Empty for an OAuth sign-in without PKCE (the implicit flow). */
  challenge: string
  method: 's256' | 'plain'
  userId: string | null
  authMethod: string
  createdAt: number
  used: boolean
  /** OAuth: the provider, where to send the browser back, and the user a manual link is for. */
  providerType: string
  referrer: string
  linkingTargetId: string | null
  providerAccessToken: string
  providerRefreshToken: string
}

export interface Challenge {
  id: string
  factorId: string
  createdAt: number
  ip: string
  /** The code texted for a phone factor. */
  otp: string | null
}

export class Store {
  readonly users = new Map<string, UserRow>()
  readonly sessions = new Map<string, SessionRow>()
  readonly refreshTokens = new Map<string, RefreshRow>()
  readonly otps: OneTimeToken[] = []
  readonly flowStates = new Map<string, FlowState>()
  readonly challenges = new Map<string, Challenge>()

  readonly #now: () => number

  constructor(now: () => number) {
    this.#now = now
  }

  byEmail(email: string): UserRow | undefined {
    const wanted = email.trim().toLowerCase()
    return [...this.users.values()].find((user) => user.email !== '' && user.email === wanted)
  }

  byPhone(phone: string): UserRow | undefined {
    const wanted = normalisePhone(phone)
    return [...this.users.values()].find((user) => user.phone !== '' && user.phone === wanted)
  }

  createUser(fields: Partial<UserRow> & { email?: string; phone?: string }): UserRow {
    const now = new Date(this.#now()).toISOString()
    const user: UserRow = {
      id: randomUUID(),
      email: (fields.email ?? '').trim().toLowerCase(),
      phone: normalisePhone(fields.phone ?? ''),
      password: null,
      emailConfirmedAt: null,
      phoneConfirmedAt: null,
      userMetadata: {},
      isAnonymous: false,
      banned: false,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
      sentAt: {},
      emailChange: null,
      phoneChange: null,
      factors: [],
      reauthNonce: null,
      identities: [],
      ...fields,
    }
    user.email = user.email.trim().toLowerCase()
    user.phone = normalisePhone(user.phone)
    this.users.set(user.id, user)
    return user
  }

  /** A write to the account: its updated_at moves. */
  touch(user: UserRow): void {
    user.updatedAt = new Date(this.#now()).toISOString()
  }

  /** A code or link of this kind was sent now. */
  markSent(user: UserRow, kind: SentKind): void {
    this.touch(user)
    user.sentAt[kind] = user.updatedAt
  }

  newSession(userId: string, amr: string, aal: 'aal1' | 'aal2' = 'aal1'): SessionRow {
    const at = this.#now()
    const session: SessionRow = {
      id: randomUUID(),
      userId,
      aal,
      amr: [{ method: amr, timestamp: Math.floor(at / 1000) }],
      createdAt: at,
      refreshedAt: at,
      recovery: amr === 'recovery',
    }
    this.sessions.set(session.id, session)
    return session
  }

  newRefreshToken(sessionId: string, parent: string | null): RefreshRow {
    const row: RefreshRow = { token: legacyToken(), sessionId, parent, revoked: false, updatedAt: this.#now() }
    this.refreshTokens.set(row.token, row)
    return row
  }

  /** The session's newest token that is not revoked (models.Session.FindCurrentlyActiveRefreshToken). */
  activeToken(sessionId: string): RefreshRow | undefined {
    return [...this.refreshTokens.values()].findLast((row) => row.sessionId === sessionId && !row.revoked)
  }

  deleteSession(id: string): void {
    this.sessions.delete(id)
    for (const [token, row] of this.refreshTokens) if (row.sessionId === id) this.refreshTokens.delete(token)
  }

  sessionsOf(userId: string): SessionRow[] {
    return [...this.sessions.values()].filter((session) => session.userId === userId)
  }

  newOtp(entry: Omit<OneTimeToken, 'code' | 'hash' | 'sentAt'>): OneTimeToken {
    // One live token of a type per user, as GoTrue keeps one per column.
    for (let i = this.otps.length - 1; i >= 0; i--) {
      const old = this.otps[i]
      if (old !== undefined && old.userId === entry.userId && old.type === entry.type) this.otps.splice(i, 1)
    }
    const otp: OneTimeToken = { ...entry, code: sixDigits(), hash: randomBytes(28).toString('hex'), sentAt: this.#now() }
    this.otps.push(otp)
    return otp
  }

  /**
   * models.User.UpdatePassword: every code and link sent to the user stops working and its send
   * time is forgotten; a pending email or phone change keeps its address or number (new_email,
   * new_phone), without a code that confirms it.
   */
  forgetSentCodes(user: UserRow): void {
    for (let i = this.otps.length - 1; i >= 0; i--) if (this.otps[i]?.userId === user.id) this.otps.splice(i, 1)
    user.sentAt = {}
    if (user.emailChange !== null) Object.assign(user.emailChange, { currentToken: '', newToken: '' })
    if (user.phoneChange !== null) user.phoneChange.token = ''
    user.reauthNonce = null
  }

  takeOtp(match: (otp: OneTimeToken) => boolean): OneTimeToken | undefined {
    const index = this.otps.findIndex(match)
    if (index === -1) return undefined
    return this.otps.splice(index, 1)[0]
  }

  /** The user an OAuth provider's identity belongs to (models.FindIdentityByIdAndProvider). */
  byIdentity(provider: string, providerId: string): UserRow | undefined {
    return [...this.users.values()].find((user) => user.identities.some((identity) => identity.provider === provider && identity.providerId === providerId))
  }

  /** A new identity of the user (createNewIdentity): last in the list, as the server orders them by creation. */
  addIdentity(user: UserRow, provider: string, providerId: string, data: Record<string, unknown>): IdentityRow {
    const identity: IdentityRow = { identityId: randomUUID(), provider, providerId, data, createdAt: new Date(this.#now()).toISOString() }
    user.identities.push(identity)
    return identity
  }

  newFlowState(fields: Pick<FlowState, 'challenge' | 'method' | 'userId' | 'authMethod'> & Partial<FlowState>): FlowState {
    const flow: FlowState = {
      providerType: 'email',
      referrer: '',
      linkingTargetId: null,
      providerAccessToken: '',
      providerRefreshToken: '',
      ...fields,
      id: randomUUID(),
      authCode: randomUUID(),
      createdAt: this.#now(),
      used: false,
    }
    this.flowStates.set(flow.id, flow)
    return flow
  }
}

export function sixDigits(): string {
  return String(randomBytes(4).readUInt32BE() % 1_000_000).padStart(6, '0')
}

/** GoTrue's legacy refresh token: 12 characters of [a-z0-9]. */
function legacyToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('')
}

/** GoTrue stores phone numbers as digits only (no "+"). */
export function normalisePhone(phone: string): string {
  return phone.replace(/[^\d]/g, '')
}
