/** What the GraphQL and REST handlers share: the pool, keys, tokens, codes, MFA and the app's settings. */
import { randomBytes } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import { E } from './errors.ts'
import { Outbox } from './outbox.ts'
import { PasswordKey } from './password-key.ts'
import { Store } from './store.ts'
import type { UserRecord } from './store.ts'
import { Tokens } from './tokens.ts'
import type { AppMethods, AppMfaPolicy, AuthingEmulatorOptions } from './types.ts'

const MFA_TOKEN_MS = 10 * 60_000
export const DEFAULT_TOKEN_SECONDS = 1_209_600

export const DEFAULT_METHODS: AppMethods = {
  loginTabs: ['password', 'phone-code'],
  passwordMethods: ['email-password', 'username-password', 'phone-password'],
  verifyCodeMethods: ['phone-code'],
  registerMethods: ['email', 'username', 'phone'],
}

export class App {
  readonly store: Store
  readonly tokens: Tokens
  readonly outbox: Outbox
  readonly passwordKey = new PasswordKey()
  readonly now: () => number
  readonly userPoolId: string
  readonly appId: string
  readonly appName: string
  readonly methods: AppMethods
  readonly passwordStrength: number
  readonly verifyOld: boolean
  /** The app's own second step (console: 应用 → 多因素认证), asked of every user on every login: 1636. */
  readonly appMfa: readonly AppMfaPolicy[]
  readonly #mfaTokens = new Map<string, { userId: string; expiresAt: number }>()
  readonly #resetTokens = new Map<string, { userId: string; expiresAt: number }>()

  constructor(options: AuthingEmulatorOptions & { issuer: string; userPoolId: string; appId: string }) {
    this.now = options.now ?? Date.now
    this.userPoolId = options.userPoolId
    this.appId = options.appId
    this.appName = options.appName ?? 'Latchkey'
    this.methods = { ...DEFAULT_METHODS, ...options.methods }
    this.passwordStrength = options.passwordStrength ?? 1
    this.verifyOld = options.verifyOld ?? false
    this.appMfa = options.appMfa ?? []
    this.store = new Store(options.users ?? [], options.udfs ?? [], this.now)
    this.tokens = new Tokens({ issuer: options.issuer, appId: options.appId, userPoolId: options.userPoolId, now: this.now, lifetimeSeconds: options.tokenSeconds ?? DEFAULT_TOKEN_SECONDS })
    this.outbox = new Outbox({ now: this.now, codeSeconds: options.codeSeconds ?? 60, resendSeconds: options.resendSeconds ?? 60, ...(options.onMessage ? { onMessage: options.onMessage } : {}) })
  }

  /** The user the Bearer token belongs to: 2020 without a live token, 2206 when it expired. */
  async authed(token: string): Promise<UserRecord> {
    return (await this.session(token)).user
  }

  /**
   * The signed-in user and a view of them that carries the request's own token: Authing answers
   * the user's own queries and mutations with `token` filled in, and authing-js-sdk relies on it
   * (its setCurrentUser replaces the token it holds with the answer's).
   */
  async session(token: string): Promise<{ user: UserRecord; view: () => Record<string, unknown> }> {
    const check = await this.tokens.check(token, this.store)
    if (check.status === 'expired') throw E.expired()
    if (check.status !== 'valid') throw E.notLoggedIn()
    const user = this.store.byId(check.userId)
    if (user === undefined) throw E.notLoggedIn()
    return { user, view: () => this.view(user, { token, tokenExpiredAt: new Date(check.exp * 1000).toISOString() }) }
  }

  /** The pool's password rule (checkPasswordStrength and every password a user sets). */
  strength(password: string): { valid: boolean; message: string } {
    const letters = /[A-Za-z]/.test(password)
    const digits = /\d/.test(password)
    const symbols = /[^A-Za-z\d]/.test(password)
    switch (this.passwordStrength) {
      case 0:
        return password.length > 0 ? ok() : bad('密码不能为空')
      case 1:
        return password.length >= 6 ? ok() : bad('密码长度不能少于 6 位')
      case 2:
        return password.length >= 6 && letters && digits ? ok() : bad('密码至少 6 位，且必须包含英文字母和数字')
      default:
        return password.length >= 6 && letters && digits && symbols ? ok() : bad('密码至少 6 位，且必须包含英文字母、数字和符号')
    }
  }

  /** Decrypts a password the client sent and checks it against the pool's rule. */
  newPassword(encrypted: string): string {
    const password = this.passwordKey.decrypt(encrypted)
    const rule = this.strength(password)
    if (!rule.valid) throw E.weakPassword(rule.message)
    return password
  }

  /** A login that passed its first factor: a token, or 1635 with an mfaToken for a TOTP user. */
  async loggedIn(user: UserRecord): Promise<Record<string, unknown>> {
    const who = { nickname: user.profile.nickname, username: user.username, avatar: user.profile.photo ?? null }
    if (this.appMfa.length > 0) {
      // The app's policy, as Guard's MFA page reads it: the methods on, and where its codes go
      // (mfaPhone, mfaEmail: Guard's SMS and email steps read these, not phone and email).
      const applicationMfa = this.appMfa.map((mfaPolicy, sort) => ({ mfaPolicy, sort, status: 1 }))
      throw E.appMfaRequired({
        mfaToken: this.#mfaToken(user),
        applicationMfa,
        totpMfaEnabled: user.totpSecret !== null,
        faceMfaEnabled: false,
        mfaPhone: user.phone,
        mfaPhoneCountryCode: user.phone === null ? null : '+86',
        mfaEmail: user.email,
        ...who,
      })
    }
    if (user.totpSecret !== null) throw E.mfaRequired({ mfaToken: this.#mfaToken(user), email: user.email, phone: user.phone, ...who })
    return this.withToken(user)
  }

  #mfaToken(user: UserRecord): string {
    const mfaToken = randomBytes(24).toString('base64url')
    this.#mfaTokens.set(mfaToken, { userId: user.id, expiresAt: this.now() + MFA_TOKEN_MS })
    return mfaToken
  }

  /**
   * A password sign-in of an account whose administrator asks for a new password: 1639 (first
   * sign-in), 2071 (unsafe password) or 2058 (rotation) with the token Guard passes to resetPasswordByFirstLoginToken /
   * resetPasswordByForceResetToken (its initData.token), instead of a session.
   */
  passwordResetDue(user: UserRecord): void {
    if (user.mustResetPassword === null) return
    const token = randomBytes(24).toString('base64url')
    this.#resetTokens.set(token, { userId: user.id, expiresAt: this.now() + MFA_TOKEN_MS })
    if (user.mustResetPassword === 'first-login') throw E.firstLoginPassword({ token })
    throw user.mustResetPassword === 'unsafe' ? E.unsafePasswordReset({ token }) : E.forcedPasswordReset({ token })
  }

  /** Sets the new password for a reset token from passwordResetDue (used once). The code for a bad token is undocumented; 2021 here. */
  resetByToken(token: string, encryptedPassword: string, encryptedOld?: string): void {
    const pending = this.#resetTokens.get(token)
    const user = pending === undefined || pending.expiresAt < this.now() ? undefined : this.store.byId(pending.userId)
    if (user === undefined) throw E.mfaTokenInvalid()
    if (encryptedOld !== undefined && this.passwordKey.decrypt(encryptedOld) !== user.password) throw E.oldPasswordWrong()
    user.password = this.newPassword(encryptedPassword)
    user.mustResetPassword = null
    this.#resetTokens.delete(token)
    this.store.touch(user)
  }

  /** The user a live mfaToken stands for; 2021 when it is unknown, used up or expired. */
  #mfaUser(mfaToken: string): UserRecord {
    const pending = this.#mfaTokens.get(mfaToken)
    const user = pending === undefined || pending.expiresAt < this.now() ? undefined : this.store.byId(pending.userId)
    if (user === undefined) throw E.mfaTokenInvalid()
    return user
  }

  /**
   * POST /api/v2/applications/mfa/{sms,email}/verify: the app's second step by a code sent to the
   * account's own phone number or email address (Guard's MFA page).
   */
  async verifyAppMfaCode(mfaToken: string, channel: 'sms' | 'email', address: string, code: string): Promise<Record<string, unknown>> {
    const user = this.#mfaUser(mfaToken)
    const policy = channel === 'sms' ? 'SMS' : 'EMAIL'
    const own = channel === 'sms' ? user.phone : user.email
    if (!this.appMfa.includes(policy)) throw E.forbidden()
    if (own === null || address.trim().toLowerCase() !== own.toLowerCase()) throw E.missingParams()
    this.outbox.check(channel, own, code)
    this.#mfaTokens.delete(mfaToken)
    return this.withToken(user)
  }

  async withToken(user: UserRecord): Promise<Record<string, unknown>> {
    const { token, exp } = await this.tokens.issue(user)
    user.loginsCount += 1
    user.lastLogin = new Date(this.now()).toISOString()
    return this.view(user, { token, tokenExpiredAt: new Date(exp * 1000).toISOString() })
  }

  /** POST /api/v2/mfa/totp/verify: the second factor of a login that answered 1635. */
  async verifyTotp(mfaToken: string, code: string): Promise<Record<string, unknown>> {
    const user = this.#mfaUser(mfaToken)
    if (user.totpSecret === null) throw E.mfaTokenInvalid()
    if (!this.totpMatches(user.totpSecret, code)) throw E.wrongTotp()
    this.#mfaTokens.delete(mfaToken)
    return this.withToken(user)
  }

  /**
   * POST /api/v2/mfa/totp/recovery: the authenticator's recovery code instead of its code, once
   * (authing-js-sdk verifyTotpRecoveryCode). The code a wrong one answers is not documented; 6001 here.
   */
  async verifyRecoveryCode(mfaToken: string, recoveryCode: string): Promise<Record<string, unknown>> {
    const user = this.#mfaUser(mfaToken)
    if (user.totpSecret === null || user.totpRecoveryCode === null || recoveryCode.trim() !== user.totpRecoveryCode) throw E.wrongTotp()
    user.totpRecoveryCode = null
    this.#mfaTokens.delete(mfaToken)
    return this.withToken(user)
  }

  totpMatches(secret: string, code: string): boolean {
    return totp(secret).validate({ token: code.trim(), timestamp: this.now(), window: 1 }) !== null
  }

  currentTotp(secret: string): string {
    return totp(secret).generate({ timestamp: this.now() })
  }

  totpUri(user: UserRecord, secret: string): string {
    return totp(secret, user.email ?? user.phone ?? user.username ?? user.id, this.appName).toString()
  }

  /** The User object as GraphQL and REST answer it. Never the password. */
  view(user: UserRecord, extra: { token?: string; tokenExpiredAt?: string } = {}): Record<string, unknown> {
    return {
      ...Object.fromEntries(Object.entries(user.profile)),
      id: user.id,
      arn: `arn:cn:authing:${this.userPoolId}:user:${user.id}`,
      status: 'Activated',
      userPoolId: this.userPoolId,
      username: user.username,
      email: user.email,
      emailVerified: user.emailVerified,
      phone: user.phone,
      phoneVerified: user.phoneVerified,
      unionid: null,
      openid: null,
      identities: [],
      registerSource: ['basic:email'],
      password: null,
      oauth: null,
      token: extra.token ?? null,
      tokenExpiredAt: extra.tokenExpiredAt ?? null,
      loginsCount: user.loginsCount,
      lastLogin: user.lastLogin,
      signedUp: user.createdAt,
      blocked: false,
      isDeleted: false,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      externalId: user.profile.externalId ?? null,
      customData: this.store.udvList(user),
      phoneCountryCode: null,
    }
  }
}

function totp(secret: string, label = 'user', issuer = 'Authing'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' })
}

function ok(): { valid: boolean; message: string } {
  return { valid: true, message: '密码强度符合要求' }
}

function bad(message: string): { valid: boolean; message: string } {
  return { valid: false, message }
}
