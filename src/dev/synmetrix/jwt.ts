/**
 * HBP's access token (src/shared/jwt.ts): HS256 with JWT_KEY (or RS256 with a key pair whose public
 * half getJwkStore publishes at /auth/jwks), `iss: "nhost"`, `sub` = the user id, `exp` = now +
 * JWT_EXPIRES_IN **minutes**, and the permission variables under the claims namespace with kebab-case
 * `x-hasura-` keys. The answer's `jwt_expires_in` is the same lifetime in **milliseconds**.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose'
import type { Account } from './store.ts'
import type { HbpSettings } from './types.ts'

export interface PermissionVariables {
  'user-id': string
  'allowed-roles': string[]
  'default-role': string
}

/** generatePermissionVariables: the default role is always among the allowed ones. */
export function permissionVariables(account: Account): PermissionVariables {
  const roles = [...account.roles]
  if (!roles.includes(account.defaultRole)) roles.push(account.defaultRole)
  return { 'user-id': account.userId, 'allowed-roles': roles, 'default-role': account.defaultRole }
}

interface Keys {
  sign: CryptoKey | Uint8Array
  verify: CryptoKey | Uint8Array
}

export class Jwt {
  readonly #settings: HbpSettings
  readonly #keys: Promise<Keys>
  readonly #now: () => number

  constructor(settings: HbpSettings, now: () => number) {
    this.#settings = settings
    this.#now = now
    if (settings.jwtAlgorithm === 'HS256') {
      const secret = new TextEncoder().encode(settings.jwtKey)
      this.#keys = Promise.resolve({ sign: secret, verify: secret })
    } else {
      this.#keys = generateKeyPair('RS256', { extractable: true }).then(({ privateKey, publicKey }) => ({ sign: privateKey, verify: publicKey }))
    }
  }

  /** getJwkStore().toJWKS(): the public key under RS256; null under HS256, which has none to publish. */
  async jwks(): Promise<{ keys: JWK[] } | null> {
    if (this.#settings.jwtAlgorithm === 'HS256') return null
    const jwk = await exportJWK((await this.#keys).verify)
    return { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk) }] }
  }

  /** newJwtExpiry: the lifetime in ms, as the answers' `jwt_expires_in` gives it. */
  get expiresInMs(): number {
    return this.#settings.jwtExpiresInMinutes * 60 * 1000
  }

  async sign(account: Account): Promise<string> {
    const variables = permissionVariables(account)
    const claims = Object.fromEntries(Object.entries(variables).map(([key, value]) => [`x-hasura-${key}`, value]))
    const iat = Math.floor(this.#now() / 1000)
    return new SignJWT({ [this.#settings.claimsNamespace]: claims })
      .setProtectedHeader({ alg: this.#settings.jwtAlgorithm, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.round(this.#settings.jwtExpiresInMinutes * 60))
      .setSubject(account.userId)
      .setIssuer('nhost')
      .sign((await this.#keys).sign)
  }

  /** getClaims: the claims under the namespace with `x-hasura-` removed, or null (bad, expired, other namespace). */
  async claims(authorization: string | undefined): Promise<Record<string, unknown> | null> {
    if (authorization === undefined || authorization === '') return null
    const token = authorization.replace('Bearer ', '')
    try {
      const { payload } = await jwtVerify(token, (await this.#keys).verify, { currentDate: new Date(this.#now()), algorithms: [this.#settings.jwtAlgorithm] })
      const claims: unknown = payload[this.#settings.claimsNamespace]
      if (typeof claims !== 'object' || claims === null) return null
      return Object.fromEntries(Object.entries(claims).map(([key, value]) => [key.replace('x-hasura-', ''), value as unknown]))
    } catch {
      return null
    }
  }
}
