/** What the emulated Teable server remembers: users, sessions, access tokens, codes and mails. */
import { createHmac, randomBytes } from 'node:crypto'
import { randomString } from '../pocketbase/random.ts'
import { refill } from '../state-file.ts'
import { PatCodec } from './pat.ts'
import type { TeableEmulatorOptions, TeableEmulatorUser, TeableGateway, TeableMail } from './types.ts'

export interface User {
  id: string
  name: string
  email: string
  password: string | null
  avatar: { type: string; bytes: Buffer; version: number } | null
  notifyMeta: { email?: boolean }
  spaceIds: string[]
}

export interface SessionRecord {
  sid: string
  userId: string
  expiresAt: number
}

export interface AccessToken {
  id: string
  userId: string
  name: string
  description?: string
  scopes: string[]
  spaceIds: string[] | null
  baseIds: string[] | null
  /** Every space and base the person can reach (`hasFullAccess`); without it and without spaces or bases, none. */
  hasFullAccess?: boolean
  sign: string
  expiredTime: number
  createdTime: number
  lastUsedTime: number | null
}

export interface MobileCode {
  userId: string
  challenge: string
  redirectUri: string
  expiresAt: number
}

export const DAY_MS = 86_400_000

export interface SavedTeableState {
  users: User[]
  sessions: Map<string, SessionRecord>
  tokens: Map<string, AccessToken>
  spaces: Map<string, { id: string; name: string }>
  cookieSecret: Buffer
  patKeys: { key: Buffer; iv: Buffer }
}

export class TeableState {
  readonly users: User[] = []
  readonly sessions = new Map<string, SessionRecord>()
  readonly tokens = new Map<string, AccessToken>()
  readonly spaces = new Map<string, { id: string; name: string }>()
  /** reset-password-email:<code> → user id, with its expiry. */
  readonly resetCodes = new Map<string, { userId: string; expiresAt: number }>()
  /** Per-email time of the last signup code (the resend interval). */
  readonly lastCodeAt = new Map<string, number>()
  /** Failed sign-ins per email as sent (counted for 30 seconds after the last one), and lockouts. */
  readonly failures = new Map<string, { count: number; expiresAt: number }>()
  readonly lockedUntil = new Map<string, number>()
  readonly mobileCodes = new Map<string, MobileCode>()
  readonly mails: TeableMail[] = []
  readonly issued: string[] = []
  readonly pats = new PatCodec()
  readonly jwtSecret = randomBytes(32)
  readonly instanceId = `ins${randomString(16)}`
  readonly startedAt: number
  #cookieSecret: Buffer = randomBytes(32)
  readonly options: TeableEmulatorOptions
  readonly now: () => number
  gateway: TeableGateway | null
  mobileSchemes: readonly string[]
  url = ''

  constructor(options: TeableEmulatorOptions, users: readonly TeableEmulatorUser[]) {
    this.options = options
    this.now = options.now ?? Date.now
    this.startedAt = this.now()
    this.gateway = options.gateway ?? null
    this.mobileSchemes = options.mobileRedirectSchemes ?? ['teable']
    for (const user of users) this.addUser(user.email, user.password, user.name, user.id)
  }

  get sessionTtlMs(): number {
    return this.options.sessionTtlMs ?? 7 * DAY_MS
  }

  addUser(email: string, password: string | null, name?: string, id?: string): User {
    const space = { id: `spc${randomString(16)}`, name: `${name ?? email.split('@')[0] ?? email}'s space` }
    this.spaces.set(space.id, space)
    // user.service createUser stores the address lower-cased.
    const user: User = { id: id ?? `usr${randomString(16)}`, name: name ?? email.split('@')[0] ?? email, email: email.toLowerCase(), password, avatar: null, notifyMeta: { email: true }, spaceIds: [space.id] }
    this.users.push(user)
    return user
  }

  /**
   * The server's lookup (user.service getUserByEmail): the address asked for, lower-cased, against the
   * stored one as it is. An address stored with capitals (a change of email keeps what was typed)
   * is then never found, as on Teable.
   */
  findByEmail(email: string): User | undefined {
    const lower = email.toLowerCase()
    return this.users.find((user) => user.email === lower)
  }

  /** For the test controls only: the user with this address in any case. */
  findAnyCase(email: string): User | undefined {
    return this.users.find((user) => user.email.toLowerCase() === email.toLowerCase())
  }

  findById(id: string): User | undefined {
    return this.users.find((user) => user.id === id)
  }

  /** A new express-session: its id, and the signed cookie value `s%3A<sid>.<hmac>`. */
  newSession(userId: string): string {
    const sid = randomString(32)
    this.sessions.set(sid, { sid, userId, expiresAt: this.now() + this.sessionTtlMs })
    const cookie = `s%3A${sid}.${this.#sign(sid)}`
    this.issued.push(cookie)
    return cookie
  }

  /** The live session a cookie value names (touching it), or undefined. */
  sessionOf(cookieValue: string): SessionRecord | undefined {
    const decoded = decodeURIComponent(cookieValue)
    if (!decoded.startsWith('s:')) return undefined
    const [sid, signature] = decoded.slice(2).split('.')
    if (sid === undefined || signature !== this.#sign(sid)) return undefined
    const session = this.sessions.get(sid)
    if (!session) return undefined
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(sid)
      return undefined
    }
    session.expiresAt = this.now() + this.sessionTtlMs
    return session
  }

  clearSessionsOf(userId: string): void {
    for (const [sid, session] of this.sessions) if (session.userId === userId) this.sessions.delete(sid)
  }

  liveSessionsOf(userId: string): number {
    return [...this.sessions.values()].filter((session) => session.userId === userId && session.expiresAt > this.now()).length
  }

  mail(mail: Omit<TeableMail, 'at'>): void {
    const full = { ...mail, at: this.now() }
    this.mails.push(full)
    this.issued.push(mail.code)
    this.options.onMail?.(full)
  }

  /** What a restart keeps so its sessions and tokens stay valid (the demo); codes and mails are not kept. */
  snapshot(): SavedTeableState {
    return { users: this.users, sessions: this.sessions, tokens: this.tokens, spaces: this.spaces, cookieSecret: this.#cookieSecret, patKeys: this.pats.keys }
  }

  restore(saved: SavedTeableState): void {
    this.users.splice(0, this.users.length, ...saved.users)
    refill(this.sessions, saved.sessions)
    refill(this.tokens, saved.tokens)
    refill(this.spaces, saved.spaces)
    this.#cookieSecret = saved.cookieSecret
    this.pats.keys = saved.patKeys
  }

  #sign(sid: string): string {
    return createHmac('sha256', this.#cookieSecret).update(sid).digest('base64').replace(/=+$/, '')
  }
}
