/** The user pool: users, their profile fields, user-defined values and TOTP secrets. */
import { randomBytes } from 'node:crypto'
import { AuthingError, E } from './errors.ts'
import type { EmulatorUser, UdfDefinition } from './types.ts'

/** The profile fields `updateUser` may change (UpdateUserInput minus email, phone, password and server-kept ones). */
export const PROFILE_FIELDS = [
  'username', 'nickname', 'photo', 'company', 'browser', 'device', 'name', 'givenName', 'familyName', 'middleName',
  'profile', 'preferredUsername', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'address', 'formatted',
  'streetAddress', 'locality', 'region', 'postalCode', 'city', 'province', 'country', 'externalId', 'lastIP',
] as const

export interface UserRecord {
  id: string
  username: string | null
  email: string | null
  emailVerified: boolean
  phone: string | null
  phoneVerified: boolean
  password: string | null
  totpSecret: string | null
  /** Enrolment in progress (associate, not yet confirmed). */
  pendingTotpSecret: string | null
  /** The authenticator's recovery code (given at associate, live once confirmed), used once at /api/v2/mfa/totp/recovery. */
  totpRecoveryCode: string | null
  pendingRecoveryCode: string | null
  mustResetPassword: 'first-login' | 'unsafe' | 'rotation' | null
  profile: Record<string, string | null>
  udv: Map<string, string>
  loginsCount: number
  lastLogin: string | null
  createdAt: string
  updatedAt: string
  /** Tokens issued before this (ms) are dead: a logout elsewhere, by an admin. */
  tokensValidAfter: number
}

export class Store {
  readonly users: UserRecord[] = []
  readonly udfs: UdfDefinition[]
  readonly #now: () => number

  constructor(users: EmulatorUser[], udfs: UdfDefinition[], now: () => number) {
    this.udfs = udfs
    this.#now = now
    for (const user of users) this.create(user)
  }

  create(input: EmulatorUser & { profile?: Record<string, string> }): UserRecord {
    const at = new Date(this.#now()).toISOString()
    const record: UserRecord = {
      id: input.id ?? randomBytes(12).toString('hex'),
      username: input.username ?? null,
      email: input.email?.toLowerCase() ?? null,
      emailVerified: false,
      phone: input.phone ?? null,
      phoneVerified: input.phone !== undefined,
      password: input.password ?? null,
      totpSecret: input.totpSecret ?? null,
      pendingTotpSecret: null,
      totpRecoveryCode: input.totpRecoveryCode ?? null,
      pendingRecoveryCode: null,
      mustResetPassword: input.mustResetPassword ?? null,
      profile: { nickname: input.nickname ?? null, name: input.name ?? null, ...(input.profile ?? {}) },
      udv: new Map(Object.entries(input.udv ?? {})),
      loginsCount: 0,
      lastLogin: null,
      createdAt: at,
      updatedAt: at,
      tokensValidAfter: 0,
    }
    this.users.push(record)
    return record
  }

  byId(id: string): UserRecord | undefined {
    return this.users.find((user) => user.id === id)
  }

  byEmail(email: string): UserRecord | undefined {
    const wanted = email.trim().toLowerCase()
    return this.users.find((user) => user.email === wanted)
  }

  byUsername(username: string): UserRecord | undefined {
    return this.users.find((user) => user.username === username.trim())
  }

  byPhone(phone: string): UserRecord | undefined {
    return this.users.find((user) => user.phone === phone.trim())
  }

  /** email, username or phone: how the tests and the demo name a user. */
  byLogin(login: string): UserRecord | undefined {
    return this.byEmail(login) ?? this.byUsername(login) ?? this.byPhone(login)
  }

  touch(user: UserRecord): void {
    user.updatedAt = new Date(this.#now()).toISOString()
  }

  udf(key: string): UdfDefinition {
    const definition = this.udfs.find((udf) => udf.key === key)
    if (definition === undefined) throw E.noUdf(key)
    return definition
  }

  /** Stores a value sent as JSON text (setUdv), checked against the field's type. */
  setUdv(user: UserRecord, key: string, json: string): void {
    const definition = this.udf(key)
    let value: unknown
    try {
      value = JSON.parse(json)
    } catch {
      throw E.udfType(key, definition.dataType)
    }
    if (!fitsType(value, definition.dataType)) throw E.udfType(key, definition.dataType)
    user.udv.set(key, typeof value === 'string' ? value : JSON.stringify(value))
    this.touch(user)
  }

  /** The values of a user as udv() answers them: value as a string, in the pool's field order. */
  udvList(user: UserRecord): { key: string; dataType: string; value: string; label: string }[] {
    return this.udfs
      .filter((udf) => user.udv.has(udf.key))
      .map((udf) => ({ key: udf.key, dataType: udf.dataType, value: user.udv.get(udf.key) ?? '', label: udf.label }))
  }
}

function fitsType(value: unknown, type: UdfDefinition['dataType']): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string'
    case 'NUMBER':
      return typeof value === 'number' && Number.isFinite(value)
    case 'BOOLEAN':
      return typeof value === 'boolean'
    case 'DATETIME':
      return (typeof value === 'string' && !Number.isNaN(Date.parse(value))) || typeof value === 'number'
    case 'OBJECT':
      return typeof value === 'object' && value !== null
  }
}

export function isAuthingError(error: unknown): error is AuthingError {
  return error instanceof AuthingError
}
