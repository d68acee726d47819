/**
 * The v2 `token`: an RS256 id_token of the user (claims as Authing puts them: the OIDC profile
 * claims, `data` with the user's ids, `userpool_id`), checked against the server's own key, its
 * expiry and the logouts the server has recorded. The OIDC side signs with the same key; its
 * public half is at /oidc/.well-known/jwks.json.
 */
import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import type { UserRecord } from './store.ts'

export type TokenCheck =
  | { status: 'valid'; userId: string; iat: number; exp: number; jti: string }
  | { status: 'expired' }
  | { status: 'invalid' }

export class Tokens {
  readonly #issuer: string
  readonly #audience: string
  readonly #userPoolId: string
  readonly #now: () => number
  readonly #lifetimeSeconds: number
  readonly #loggedOut = new Set<string>()
  readonly #issued: string[] = []
  #privateKey: CryptoKey | null = null
  #publicKey: CryptoKey | null = null
  #jwk: JWK | null = null
  #privateJwk: JWK | null = null

  constructor(options: { issuer: string; appId: string; userPoolId: string; now: () => number; lifetimeSeconds: number }) {
    this.#issuer = options.issuer
    this.#audience = options.appId
    this.#userPoolId = options.userPoolId
    this.#now = options.now
    this.#lifetimeSeconds = options.lifetimeSeconds
  }

  /** A new signing key, or `saved` (the private JWK of an earlier run: the demo keeps its tokens valid). */
  async init(saved?: JWK): Promise<void> {
    const { privateKey, publicKey } = saved
      ? { privateKey: (await importJWK(saved, 'RS256', { extractable: true })) as CryptoKey, publicKey: (await importJWK({ kty: saved.kty, n: saved.n, e: saved.e }, 'RS256', { extractable: true })) as CryptoKey }
      : await generateKeyPair('RS256', { extractable: true })
    this.#privateKey = privateKey
    this.#publicKey = publicKey
    const kid = saved?.kid ?? randomUUID()
    this.#jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
    this.#privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }
  }

  /** The signing key (private JWK) for the OIDC side, so one JWKS verifies every token. */
  signingKey(): JWK {
    if (this.#privateJwk === null) throw new Error('tokens not initialised')
    return this.#privateJwk
  }

  get lifetimeSeconds(): number {
    return this.#lifetimeSeconds
  }

  /** A fresh token for the user: { token, iat, exp } (seconds). */
  async issue(user: UserRecord, claims: Record<string, unknown> = {}): Promise<{ token: string; iat: number; exp: number }> {
    const iat = Math.floor(this.#now() / 1000)
    const exp = iat + this.#lifetimeSeconds
    const token = await new SignJWT({
      ...profileClaims(user),
      data: {
        type: 'user',
        userPoolId: this.#userPoolId,
        appId: this.#audience,
        id: user.id,
        userId: user.id,
        _id: user.id,
        phone: user.phone,
        email: user.email,
        username: user.username,
        unionid: null,
        openid: null,
        clientId: this.#userPoolId,
      },
      userpool_id: this.#userPoolId,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.#jwk?.kid ?? '' })
      .setSubject(user.id)
      .setAudience(this.#audience)
      .setIssuer(this.#issuer)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.#key())
    this.#issued.push(token)
    return { token, iat, exp }
  }

  async check(token: string, users: { byId(id: string): UserRecord | undefined }): Promise<TokenCheck> {
    if (token === '' || this.#publicKey === null) return { status: 'invalid' }
    try {
      const { payload } = await jwtVerify(token, this.#publicKey, {
        issuer: this.#issuer,
        currentDate: new Date(this.#now()),
        clockTolerance: 0,
      })
      const user = typeof payload.sub === 'string' ? users.byId(payload.sub) : undefined
      const jti = typeof payload.jti === 'string' ? payload.jti : ''
      const iat = payload.iat ?? 0
      if (user === undefined || this.#loggedOut.has(jti) || iat * 1000 < user.tokensValidAfter) return { status: 'invalid' }
      return { status: 'valid', userId: user.id, iat, exp: payload.exp ?? 0, jti }
    } catch (error) {
      return (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? { status: 'expired' } : { status: 'invalid' }
    }
  }

  /** GET /api/v2/logout: this token stops working. */
  logout(jti: string): void {
    this.#loggedOut.add(jti)
  }

  issued(): string[] {
    return [...this.#issued]
  }

  /** The ids of tokens logged out one by one (kept across a demo restart). */
  get loggedOut(): Set<string> {
    return this.#loggedOut
  }

  #key(): CryptoKey {
    if (this.#privateKey === null) throw new Error('tokens not initialised')
    return this.#privateKey
  }
}

/** The OIDC standard claims of a user, as Authing's id_token carries them. */
export function profileClaims(user: UserRecord): Record<string, unknown> {
  const p = user.profile
  return {
    name: p.name ?? null,
    given_name: p.givenName ?? null,
    middle_name: p.middleName ?? null,
    family_name: p.familyName ?? null,
    nickname: p.nickname ?? null,
    preferred_username: p.preferredUsername ?? null,
    profile: p.profile ?? null,
    picture: p.photo ?? null,
    website: p.website ?? null,
    birthdate: p.birthdate ?? null,
    gender: p.gender ?? null,
    zoneinfo: p.zoneinfo ?? null,
    locale: p.locale ?? null,
    updated_at: user.updatedAt,
    email: user.email,
    email_verified: user.emailVerified,
    phone_number: user.phone,
    phone_number_verified: user.phoneVerified,
  }
}
