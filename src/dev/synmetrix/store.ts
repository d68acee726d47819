/**
 * HBP's tables as it uses them: `auth.accounts` (email, password, active, roles, the one-time
 * `ticket`, the TOTP secret, a pending new email) joined to `public.users` (display name), and
 * `auth.refresh_tokens` (a UUID, its account, its expiry). Queries mirror src/shared/queries.ts.
 */
import { randomUUID } from 'node:crypto'
import { refill } from '../state-file.ts'
import type { EmulatorUser, HbpSettings } from './types.ts'

export interface Account {
  id: string
  userId: string
  email: string
  password: string | null
  displayName: string
  active: boolean
  defaultRole: string
  roles: string[]
  otpSecret: string | null
  mfaEnabled: boolean
  /** HBP keeps one ticket per account (activation, lost password, MFA login, email change). */
  ticket: string
  ticketExpiresAt: number
  newEmail: string | null
}

const TICKET_MS = 60 * 60 * 1000

export interface SavedTables {
  accounts: Account[]
  refreshTokens: Map<string, { accountId: string; expiresAt: number }>
}

export class Store {
  readonly #accounts: Account[] = []
  readonly #refreshTokens = new Map<string, { accountId: string; expiresAt: number }>()
  readonly #settings: HbpSettings
  readonly #now: () => number
  /** Every refresh token and ticket ever made (the leak checks look for them). */
  readonly issued: string[] = []

  constructor(settings: HbpSettings, now: () => number) {
    this.#settings = settings
    this.#now = now
  }

  insert(user: EmulatorUser & { active: boolean }): Account {
    const allowed = user.allowedRoles ?? this.#settings.defaultAllowedUserRoles
    const account: Account = {
      id: randomUUID(),
      userId: user.id ?? randomUUID(),
      email: user.email,
      password: user.password ?? null,
      displayName: user.displayName ?? user.email,
      active: user.active,
      defaultRole: user.defaultRole ?? this.#settings.defaultUserRole,
      roles: [...allowed],
      otpSecret: user.otpSecret ?? null,
      mfaEnabled: user.otpSecret !== undefined,
      ticket: this.#newTicket(),
      ticketExpiresAt: this.#now() + TICKET_MS,
      newEmail: null,
    }
    this.#accounts.push(account)
    return account
  }

  /** selectAccountByEmail: the column and the query variable are citext, so the letter case does not matter. */
  byEmail(email: unknown): Account | undefined {
    if (typeof email !== 'string') return undefined
    const wanted = email.toLowerCase()
    return this.#accounts.find((account) => account.email.toLowerCase() === wanted)
  }

  /** selectAccountByTicket: a ticket that has not expired. */
  byTicket(ticket: unknown): Account | undefined {
    if (typeof ticket !== 'string') return undefined
    return this.#accounts.find((account) => account.ticket === ticket && account.ticketExpiresAt > this.#now())
  }

  byUserId(userId: unknown): Account | undefined {
    return typeof userId === 'string' ? this.#accounts.find((account) => account.userId === userId) : undefined
  }

  /** setNewTicket: a fresh ticket valid for 60 minutes. */
  setNewTicket(account: Account): string {
    account.ticket = this.#newTicket()
    account.ticketExpiresAt = this.#now() + TICKET_MS
    return account.ticket
  }

  /** rotateTicket: the used ticket stops working (replaced by one nobody was told). */
  rotateTicket(account: Account): void {
    account.ticket = randomUUID()
    account.ticketExpiresAt = this.#now()
  }

  /** insertRefreshToken; expires_at counts whole days (newRefreshExpiry uses Date#setDate). */
  newRefreshToken(account: Account): string {
    const token = randomUUID()
    this.issued.push(token)
    this.#refreshTokens.set(token, { accountId: account.id, expiresAt: this.#refreshExpiry() })
    return token
  }

  /** selectRefreshToken: the token's row, only while it has not expired and its account is active. */
  accountOfRefreshToken(token: string, options: { activeOnly: boolean } = { activeOnly: true }): Account | undefined {
    const row = this.#refreshTokens.get(token)
    if (row === undefined || (options.activeOnly && row.expiresAt < this.#now())) return undefined
    const account = this.#accounts.find((candidate) => candidate.id === row.accountId)
    return account !== undefined && (account.active || !options.activeOnly) ? account : undefined
  }

  /** updateRefreshToken: delete the old row (0 rows when already gone) and insert the new one, unconditionally. */
  rotateRefreshToken(old: string, account: Account): string {
    this.#refreshTokens.delete(old)
    return this.newRefreshToken(account)
  }

  deleteRefreshToken(token: string): void {
    this.#refreshTokens.delete(token)
  }

  deleteAllRefreshTokens(account: Account): void {
    for (const [token, row] of this.#refreshTokens) if (row.accountId === account.id) this.#refreshTokens.delete(token)
  }

  refreshTokensOf(account: Account): string[] {
    return [...this.#refreshTokens].filter(([, row]) => row.accountId === account.id).map(([token]) => token)
  }

  /** The tables as they stand (the demo keeps them across restarts). */
  snapshot(): SavedTables {
    return { accounts: this.#accounts, refreshTokens: this.#refreshTokens }
  }

  restore(saved: SavedTables): void {
    this.#accounts.splice(0, this.#accounts.length, ...saved.accounts)
    refill(this.#refreshTokens, saved.refreshTokens)
  }

  #refreshExpiry(): number {
    const days = Math.trunc(this.#settings.refreshExpiresInMinutes / 1440)
    return this.#now() + days * 86_400_000
  }

  #newTicket(): string {
    const ticket = randomUUID()
    this.issued.push(ticket)
    return ticket
  }
}
