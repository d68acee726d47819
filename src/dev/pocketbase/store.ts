/**
 * The two auth collections (`users`, `_superusers`) and their records, in memory. Record changes go
 * through `update()`, which applies PocketBase's save hooks: a password or email change rotates the
 * tokenKey (every token signed with the old one dies), a password change also drops the pending MFA
 * sessions and the known login origins, a tokenKey change drops the pending OTPs, and an
 * unverified → verified upgrade of a record with OAuth2 links drops the links and rotates tokenKey.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import type { AuthRule } from './auth-rule.ts'
import { randomString } from './random.ts'
import type { RecordIds } from './random.ts'
import type { AuthCollectionName, EmulatorUser } from './types.ts'

export type TokenType = 'auth' | 'passwordReset' | 'verification' | 'emailChange' | 'file'

export interface Collection {
  id: string
  name: AuthCollectionName
  /** authToken.duration in seconds. */
  authTokenSeconds: number
  secrets: Record<TokenType, string>
  password: { enabled: boolean; identityFields: string[] }
  otp: { enabled: boolean; durationSeconds: number; length: number }
  mfa: { enabled: boolean; durationSeconds: number }
  oauth2: { enabled: boolean }
  /** The parsed `authRule` ('' = everyone). */
  authRule: AuthRule
  /** API rules left unset (null): only superusers may use them; the others are `id = @request.auth.id`. */
  superusersOnly: readonly RecordRule[]
}

export type RecordRule = 'list' | 'view' | 'update'

export interface StoredFile {
  bytes: Buffer
  type: string
}

export interface AuthRecord {
  readonly id: string
  readonly collection: Collection
  email: string
  emailVisibility: boolean
  verified: boolean
  name: string
  username: string
  /** The avatar file name ('' when none); its bytes are in `files`. */
  avatar: string
  passwordHash: string
  tokenKey: string
  created: number
  updated: number
  /** Whether the collection's MFA rule matches this record. */
  wantsMfa: boolean
  externalAuths: { provider: string; providerId: string }[]
  /** Fingerprints (IP + User-Agent) of earlier logins, newest first, at most 5. */
  authOrigins: string[]
  files: Map<string, StoredFile>
}

/** A record to create: a person as the emulator's options describe them, plus the visibility flag. */
export type NewRecord = EmulatorUser & { emailVisibility?: boolean }

export interface RecordChanges {
  email?: string
  password?: string
  verified?: boolean
  name?: string
  emailVisibility?: boolean
  /** A new avatar ('' removes it). */
  avatar?: { name: string; file?: StoredFile }
}

type Listener = (record: AuthRecord) => void

export class Store {
  readonly #records = new Map<string, AuthRecord>()
  readonly #collections: readonly Collection[]
  readonly #now: () => number
  readonly #ids: RecordIds
  readonly #onPasswordChange: Listener[] = []
  readonly #onTokenKeyChange: Listener[] = []

  constructor(collections: readonly Collection[], now: () => number, ids: RecordIds) {
    this.#collections = collections
    this.#now = now
    this.#ids = ids
  }

  /** By name or id, like FindCachedCollectionByNameOrId. */
  collection(nameOrId: string): Collection | undefined {
    return this.#collections.find((collection) => collection.name === nameOrId || collection.id === nameOrId)
  }

  find(collection: Collection, id: string): AuthRecord | undefined {
    const record = this.#records.get(id)
    return record?.collection === collection ? record : undefined
  }

  /** Case-sensitive, as PocketBase's email index has no NOCASE collation. */
  findByEmail(collection: Collection, email: string): AuthRecord | undefined {
    return this.all(collection).find((record) => record.email === email)
  }

  all(collection: Collection): AuthRecord[] {
    return [...this.#records.values()].filter((record) => record.collection === collection)
  }

  create(collection: Collection, data: NewRecord): AuthRecord {
    const now = this.#now()
    const record: AuthRecord = {
      id: data.id === undefined ? this.#ids.next() : this.#ids.check(data.id),
      collection,
      email: data.email,
      emailVisibility: data.emailVisibility ?? false,
      verified: collection.name === '_superusers' || data.verified === true,
      name: data.name ?? '',
      username: data.username ?? '',
      avatar: '',
      passwordHash: hashPassword(data.password),
      tokenKey: randomString(50),
      created: now,
      updated: now,
      wantsMfa: data.mfa === true,
      externalAuths: [],
      authOrigins: [],
      files: new Map(),
    }
    this.#records.set(record.id, record)
    return record
  }

  /** Puts back a record as it was saved (a demo restart). */
  put(record: AuthRecord): void {
    this.#records.set(record.id, record)
  }

  update(record: AuthRecord, changes: RecordChanges): void {
    const passwordChanged = changes.password !== undefined
    const emailChanged = changes.email !== undefined && changes.email !== record.email
    const upgraded = changes.verified === true && !record.verified && record.externalAuths.length > 0
    if (changes.password !== undefined) record.passwordHash = hashPassword(changes.password)
    if (changes.email !== undefined) record.email = changes.email
    if (changes.verified !== undefined) record.verified = changes.verified
    if (changes.name !== undefined) record.name = changes.name
    if (changes.emailVisibility !== undefined) record.emailVisibility = changes.emailVisibility
    if (changes.avatar !== undefined) {
      if (record.avatar !== '') record.files.delete(record.avatar)
      record.avatar = changes.avatar.name
      if (changes.avatar.file !== undefined) record.files.set(changes.avatar.name, changes.avatar.file)
    }
    if (upgraded) record.externalAuths = []
    record.updated = this.#now()
    if (passwordChanged) {
      record.authOrigins = []
      for (const listener of this.#onPasswordChange) listener(record)
    }
    if (passwordChanged || emailChanged || upgraded) {
      record.tokenKey = randomString(50)
      for (const listener of this.#onTokenKeyChange) listener(record)
    }
  }

  /** SetRandomPassword: the old password stops working (and so do the old tokens). */
  setRandomPassword(record: AuthRecord): void {
    this.update(record, { password: randomString(30) })
  }

  onPasswordChange(listener: Listener): void {
    this.#onPasswordChange.push(listener)
  }

  onTokenKeyChange(listener: Listener): void {
    this.#onTokenKeyChange.push(listener)
  }
}

export function passwordMatches(record: AuthRecord, password: string): boolean {
  const [salt = '', hash = ''] = record.passwordHash.split(':')
  const expected = Buffer.from(hash, 'hex')
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), expected.length, SCRYPT)
  return timingSafeEqual(actual, expected)
}

/** Cheap scrypt parameters: the hash never leaves the emulator, and tests hash a lot. */
const SCRYPT = { N: 1024, r: 8, p: 1 }

function hashPassword(password: string): string {
  const salt = randomBytes(16)
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32, SCRYPT).toString('hex')}`
}

/** PocketBase's datetime format: "2024-01-02 03:04:05.678Z". */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ')
}

/**
 * The record JSON (keys sorted, as Go marshals maps). `email` is left out unless the viewer may see
 * it (the owner, a superuser, or `emailVisibility`). Never the password hash or tokenKey.
 */
export function exportRecord(record: AuthRecord, showEmail: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    collectionId: record.collection.id,
    collectionName: record.collection.name,
    created: formatDate(record.created),
    emailVisibility: record.emailVisibility,
    id: record.id,
    updated: formatDate(record.updated),
    verified: record.verified,
  }
  if (showEmail || record.emailVisibility) fields.email = record.email
  if (record.collection.name === 'users') {
    fields.name = record.name
    fields.avatar = record.avatar
  }
  if (record.username !== '') fields.username = record.username
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)))
}
