/**
 * An Authing sign-in as a sequence of forms: account + password (email, username or phone, as the
 * app allows), a code by text message or email, browser sign-in (OIDC with PKCE through the OpenID
 * Connect backend's machinery), registration and password reset; then, for a user with an
 * authenticator, the second step (code 1635 + mfaToken, then /api/v2/mfa/totp/verify), and the
 * app's own second step for every login (1636: authenticator, texted or emailed code). Passwords
 * and codes live only in the call that sends them.
 */
import type { FormSpec, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { formStep } from '../form-step.ts'
import { required, text } from '../form-values.ts'
import { newPasswordPair } from '../new-password-pair.ts'
import { OpenBrowserSteps } from '../open-browser-steps.ts'
import { loadAppConfig } from './app-config.ts'
import type { AppConfig } from './app-config.ts'
import { AuthingClient } from './client.ts'
import type { Answer, AuthingFailure } from './client.ts'
import type { CodeSender } from './codes.ts'
import { registeredRedirect } from './config.ts'
import type { AuthingSettings } from './config.ts'
import {
  CHECK_PASSWORD_STRENGTH,
  IS_USER_EXISTS,
  LOGIN_BY_EMAIL,
  LOGIN_BY_PHONE_CODE,
  LOGIN_BY_PHONE_PASSWORD,
  LOGIN_BY_USERNAME,
  REGISTER_BY_EMAIL,
  REGISTER_BY_PHONE_CODE,
  REGISTER_BY_USERNAME,
  RESET_PASSWORD,
  RESET_PASSWORD_BY_FIRST_LOGIN_TOKEN,
  RESET_PASSWORD_BY_FORCE_RESET_TOKEN,
} from './documents.ts'
import { authingError } from './errors.ts'
import type { FieldNames } from './errors.ts'
import { accountKind, normalised } from './identifiers.ts'
import type { AccountKind } from './identifiers.ts'
import { appMfaForm, codeEntryForm, codeRequestForm, firstForm, MIN_PASSWORD_LENGTH, mfaForm, recoveryForm, registerForm, requiredPasswordForm, resetRequestForm } from './sign-in-forms.ts'
import { signedInFrom } from './user.ts'
import type { AuthingUser } from './user.ts'

export interface SignInDeps {
  codes: CodeSender
  /** Browser sign-in (OIDC, PKCE, the pinned loopback port). */
  browser: (settings: AuthingSettings, ctx: ProviderContext) => Promise<BrowserSignIn<SignedIn>>
}

const PASSWORD_KINDS: Record<string, AccountKind> = { 'email-password': 'email', 'username-password': 'username', 'phone-password': 'phone' }
/**
 * Sign-in answers that ask for a new password first, with a token (Guard: 1639 first sign-in and
 * 2071 unsafe password through resetPasswordByFirstLoginToken, 2058 rotation through
 * resetPasswordByForceResetToken).
 */
const PASSWORD_DUE: Partial<Record<number, 'first' | 'unsafe' | 'rotate'>> = { 1639: 'first', 2071: 'unsafe', 2058: 'rotate' }
const LOGIN_DOCUMENT: Record<AccountKind, [string, string, string]> = {
  email: [LOGIN_BY_EMAIL, 'loginByEmail', 'email'],
  username: [LOGIN_BY_USERNAME, 'loginByUsername', 'username'],
  phone: [LOGIN_BY_PHONE_PASSWORD, 'loginByPhonePassword', 'phone'],
}

export async function beginAuthingSignIn(settings: AuthingSettings, ctx: ProviderContext, deps: SignInDeps): Promise<SignInStart> {
  const app = await loadAppConfig(new AuthingClient(settings), settings)
  ctx.logger.info('authing.signin.started', { host: settings.host })
  return new SignInFlow(settings, app, ctx, deps).first()
}

class SignInFlow {
  readonly #settings: AuthingSettings
  readonly #app: AppConfig
  readonly #ctx: ProviderContext
  readonly #deps: SignInDeps
  readonly #browsers = new OpenBrowserSteps()

  constructor(settings: AuthingSettings, app: AppConfig, ctx: ProviderContext, deps: SignInDeps) {
    this.#settings = settings
    this.#app = app
    this.#ctx = ctx
    this.#deps = deps
  }

  get #passwordKinds(): AccountKind[] {
    return [...this.#app.password].map((method) => PASSWORD_KINDS[method]).filter((kind): kind is AccountKind => kind !== undefined)
  }

  get #codeChannels(): ('phone' | 'email')[] {
    const channels: ('phone' | 'email')[] = []
    if (this.#app.codes.has('phone-code')) channels.push('phone')
    if (this.#app.codes.has('email-code')) channels.push('email')
    return channels
  }

  first(notice?: string, account?: string): FormSignIn {
    const browser = this.#settings.redirectPort !== null
    const offer = { password: this.#passwordKinds, codes: this.#codeChannels, register: this.#app.register.size > 0, browser }
    if (offer.password.length === 0 && offer.codes.length === 0 && !browser) {
      throw new AppError('AUTH_FAILED', `${this.#settings.host} allows no sign-in method Latchkey can offer (password, code or browser). Ask the app’s administrator.`)
    }
    const spec = firstForm({ host: this.#settings.host, offer, redirect: registeredRedirect(this.#settings), ...(notice === undefined ? {} : { notice }), ...(account === undefined ? {} : { account }) })
    return this.#form(spec, async (action, values) => {
      if (action === 'password' && offer.password.length > 0) return this.#password(values)
      if (action === 'code' && offer.codes.length > 0) return this.#codeRequest()
      if (action === 'browser' && browser) return this.#browser()
      if (action === 'register' && offer.register) return this.#register()
      if (action === 'reset' && offer.password.length > 0) return this.#resetRequest(text(values, 'account'))
      return null
    })
  }

  async #password(values: FormValues): Promise<SignInStart> {
    const account = required(values, 'account', 'Enter your email, username or phone number.')
    const password = required(values, 'password', 'Enter your password.', { trim: false })
    const kind = accountKind(account)
    if (!this.#passwordKinds.includes(kind)) throw new AppError('VALIDATION', `${this.#settings.host} does not allow signing in with a ${kind === 'phone' ? 'phone number' : kind} and password.`, { field: 'account' })
    const client = new AuthingClient(this.#settings)
    const encrypted = await this.#encrypt(client, password)
    const [document, field, key] = LOGIN_DOCUMENT[kind]
    const answer = await client.graphql<AuthingUser>(document, { input: { [key]: normalised(account, kind), password: encrypted, autoRegister: false } }, field)
    return this.#outcome(answer, 'password', { account: 'account', password: 'password' }, account)
  }

  #codeRequest(target?: string): FormSignIn {
    const channels = this.#codeChannels
    const spec = codeRequestForm({ codes: channels, title: `Sign in to ${this.#settings.host}`, ...(target === undefined ? {} : { target }) })
    return this.#form(spec, async (action, values) => {
      if (action === 'back') return this.first()
      if (action !== 'code-request') return null
      const to = this.#target(required(values, 'target', 'Enter where to send the code.'), channels, 'target')
      return this.#codeEntry(to)
    })
  }

  async #codeEntry(to: { channel: 'phone' | 'email'; address: string }): Promise<FormSignIn> {
    const sent = await this.#send(to, 'login', { account: 'target', phone: 'target', email: 'target' })
    const spec = codeEntryForm({ id: 'code', title: `Sign in to ${this.#settings.host}`, target: to.address, ...sent, action: { id: 'code', label: 'Sign in' } })
    return this.#form(spec, async (action, values) => {
      if (action === 'back') return this.#codeRequest(to.address)
      if (action === 'code-resend') return this.#codeEntry(to)
      if (action !== 'code') return null
      const code = required(values, 'code', 'Enter the code.')
      const client = new AuthingClient(this.#settings)
      const answer =
        to.channel === 'phone'
          ? await client.graphql<AuthingUser>(LOGIN_BY_PHONE_CODE, { input: { phone: to.address, code } }, 'loginByPhoneCode')
          : await client.rest<AuthingUser>('POST', '/api/v2/login/email-code', { email: to.address, code })
      return this.#outcome(answer, 'code', { code: 'code', account: 'code' }, null)
    })
  }

  #mfa(mfaToken: string, account: string | null): FormSignIn {
    return this.#form(mfaForm(this.#settings.host), async (action, values) => {
      if (action === 'back') return this.first(undefined, account ?? undefined)
      if (action === 'mfa-recovery') return this.#recovery(mfaToken, account, () => this.#mfa(mfaToken, account))
      if (action !== 'mfa') return null
      const code = required(values, 'code', 'Enter the code from your authenticator app.')
      const answer = await new AuthingClient(this.#settings).rest<AuthingUser>('POST', '/api/v2/mfa/totp/verify', { totp: code }, mfaToken)
      if (!answer.ok && isStaleMfaToken(answer.failure)) {
        return this.first('The second step took too long. Sign in again.', account ?? undefined)
      }
      return this.#outcome(answer, 'mfa', { code: 'code' }, account)
    })
  }

  /**
   * The new password the app asks for before letting the person in (Guard's first-login,
   * unsafe-password and password-rotation pages): resetPasswordByFirstLoginToken(token, password), or
   * resetPasswordByForceResetToken(token, oldPassword, newPassword), all encrypted; then the same
   * password sign-in again with the new password.
   */
  #requiredPassword(kind: 'first' | 'unsafe' | 'rotate', token: string, account: string): FormSignIn {
    const id = kind === 'rotate' ? 'rotate-password' : 'first-password'
    return this.#form(requiredPasswordForm({ host: this.#settings.host, kind }), async (action, values) => {
      if (action === 'back') return this.first(undefined, account)
      if (action !== id) return null
      const old = kind === 'rotate' ? required(values, 'oldPassword', 'Enter your current password.', { trim: false }) : ''
      const password = newPassword(values, true) ?? ''
      const client = new AuthingClient(this.#settings)
      const encrypted = await this.#encrypt(client, password)
      const reset =
        kind !== 'rotate'
          ? await client.graphql(RESET_PASSWORD_BY_FIRST_LOGIN_TOKEN, { token, password: encrypted }, 'resetPasswordByFirstLoginToken')
          : await client.graphql(RESET_PASSWORD_BY_FORCE_RESET_TOKEN, { token, oldPassword: await this.#encrypt(client, old), newPassword: encrypted }, 'resetPasswordByForceResetToken')
      if (!reset.ok && isStaleMfaToken(reset.failure)) return this.first('That took too long. Sign in again with your current password.', account)
      if (!reset.ok) throw authingError(reset.failure, this.#settings.host, { oldPassword: 'oldPassword', newPassword: 'password', password: 'oldPassword' })
      this.#ctx.logger.info('authing.signin.password-set', { host: this.#settings.host })
      const kindOf = accountKind(account)
      const [document, field, key] = LOGIN_DOCUMENT[kindOf]
      const answer = await client.graphql<AuthingUser>(document, { input: { [key]: normalised(account, kindOf), password: await this.#encrypt(client, password), autoRegister: false } }, field)
      if (!answer.ok && answer.failure.kind === 'business' && ![1635, 1636].includes(answer.failure.code)) return this.first('Your password was changed. Sign in with it.', account)
      return this.#outcome(answer, 'password', {}, account)
    })
  }

  /** The authenticator's recovery code: POST /api/v2/mfa/totp/recovery with the mfaToken (authing-js-sdk verifyTotpRecoveryCode). */
  #recovery(mfaToken: string, account: string | null, back: () => FormSignIn): FormSignIn {
    return this.#form(recoveryForm(this.#settings.host), async (action, values) => {
      if (action === 'back') return back()
      if (action !== 'mfa-recovery') return null
      const recoveryCode = required(values, 'recoveryCode', 'Enter the recovery code.')
      const answer = await new AuthingClient(this.#settings).rest<AuthingUser>('POST', '/api/v2/mfa/totp/recovery', { recoveryCode }, mfaToken)
      if (!answer.ok && isStaleMfaToken(answer.failure)) return this.first('The second step took too long. Sign in again.', account ?? undefined)
      return this.#outcome(answer, 'mfa-recovery', { code: 'recoveryCode' }, account)
    })
  }

  /**
   * The app's own second step (1636, Guard's MFA page): the authenticator code at
   * /api/v2/applications/mfa/totp/verify, or a code texted or emailed to the phone number or
   * address the answer names for it (mfaPhone, mfaEmail; scene mfa-verify / MFA_VERIFY_CODE) at
   * /api/v2/applications/mfa/{sms,email}/verify.
   */
  #appMfa(data: Record<string, unknown>, mfaToken: string, account: string | null): FormSignIn {
    const { host } = this.#settings
    const on = new Set(
      (Array.isArray(data.applicationMfa) ? (data.applicationMfa as unknown[]) : [])
        .map((item) => (typeof item === 'object' && item !== null ? (item as { mfaPolicy?: unknown; status?: unknown }) : {}))
        .filter((item) => item.status === undefined || item.status === 1)
        .map((item) => item.mfaPolicy),
    )
    // Where the app's codes go: mfaPhone (with mfaPhoneCountryCode) and mfaEmail, which Guard's SMS and email steps use.
    const own = (key: string): string | null => (typeof data[key] === 'string' && data[key] !== '' ? data[key] : null)
    const totp = on.has('OTP') && data.totpMfaEnabled === true
    const phone = on.has('SMS') ? own('mfaPhone') : null
    const countryCode = own('mfaPhoneCountryCode')
    const email = on.has('EMAIL') ? own('mfaEmail') : null
    if (!totp && phone === null && email === null) {
      const asks = on.has('OTP') ? 'an authenticator app this account has not set up yet' : 'a second step Latchkey cannot offer here'
      throw new AppError('UNSUPPORTED', `${host} asks every sign-in for ${asks}. Sign in on the app’s own login page (or with the browser) once to set it up.`)
    }
    const back = (): FormSignIn => this.first(undefined, account ?? undefined)
    const stale = (): FormSignIn => this.first('The second step took too long. Sign in again.', account ?? undefined)
    const verify = async (path: string, body: Record<string, string>): Promise<SignInStart> => {
      const answer = await new AuthingClient(this.#settings).rest<AuthingUser>('POST', path, body, mfaToken)
      if (!answer.ok && isStaleMfaToken(answer.failure)) return stale()
      return this.#outcome(answer, 'mfa', { code: 'code' }, account)
    }
    const entry = async (to: { channel: 'phone' | 'email'; address: string; countryCode?: string }): Promise<FormSignIn> => {
      const sent = await this.#send(to, 'mfa', { code: 'code' })
      const spec = codeEntryForm({ id: 'mfa-code', title: 'Second step required', target: to.address, ...sent, action: { id: 'mfa-code', label: 'Verify' } })
      return this.#form(spec, async (action, values) => {
        if (action === 'back') return form()
        if (action === 'code-resend') return entry(to)
        if (action !== 'mfa-code') return null
        const code = required(values, 'code', 'Enter the code.')
        return to.channel === 'phone'
          ? verify('/api/v2/applications/mfa/sms/verify', { phone: to.address, code, ...(to.countryCode === undefined ? {} : { phoneCountryCode: to.countryCode }) })
          : verify('/api/v2/applications/mfa/email/verify', { email: to.address, code })
      })
    }
    const form = (): FormSignIn =>
      this.#form(appMfaForm({ host, totp, phone, email }), async (action, values) => {
        if (action === 'back') return back()
        if (action === 'mfa' && totp) return verify('/api/v2/applications/mfa/totp/verify', { totp: required(values, 'code', 'Enter the code from your authenticator app.') })
        if (action === 'mfa-recovery' && totp) return this.#recovery(mfaToken, account, form)
        if (action === 'mfa-sms' && phone !== null) return entry({ channel: 'phone', address: phone, ...(countryCode === null ? {} : { countryCode }) })
        if (action === 'mfa-email' && email !== null) return entry({ channel: 'email', address: email })
        return null
      })
    return form()
  }

  #register(): FormSignIn {
    const kinds = (['email', 'username', 'phone'] as const).filter((kind) => this.#app.register.has(kind))
    return this.#form(registerForm({ kinds: [...kinds], host: this.#settings.host }), async (action, values) => {
      if (action === 'back') return this.first()
      if (action !== 'register') return null
      const account = required(values, 'account', 'Enter how you want to sign in.')
      const kind = accountKind(account)
      if (!(kinds as readonly string[]).includes(kind)) throw new AppError('VALIDATION', `${this.#settings.host} does not take registrations by ${kind === 'phone' ? 'phone number' : kind}.`, { field: 'account' })
      const address = normalised(account, kind)
      const password = newPassword(values, kind !== 'phone')
      const client = new AuthingClient(this.#settings)
      await this.#ensureNew(client, kind, address)
      if (password !== null) await this.#checkStrength(client, password)
      if (kind === 'phone') return this.#registerCode({ channel: 'phone', address }, password)
      const encrypted = await this.#encrypt(client, password ?? '')
      const [document, field] = kind === 'email' ? [REGISTER_BY_EMAIL, 'registerByEmail'] : [REGISTER_BY_USERNAME, 'registerByUsername']
      const answer = await client.graphql<AuthingUser>(document, { input: { [kind]: address, password: encrypted, generateToken: true } }, field)
      return this.#outcome(answer, 'register', { account: 'account', email: 'account', username: 'account', newPassword: 'password' }, account)
    })
  }

  async #registerCode(to: { channel: 'phone'; address: string }, password: string | null): Promise<FormSignIn> {
    const sent = await this.#send(to, 'register', { account: 'account', phone: 'account' })
    const spec = codeEntryForm({ id: 'register-code', title: `Create an account on ${this.#settings.host}`, target: to.address, ...sent, action: { id: 'register-code', label: 'Create account' } })
    return this.#form(spec, async (action, values) => {
      if (action === 'back') return this.#register()
      if (action === 'code-resend') return this.#registerCode(to, password)
      if (action !== 'register-code') return null
      const code = required(values, 'code', 'Enter the code.')
      const client = new AuthingClient(this.#settings)
      const input: Record<string, unknown> = { phone: to.address, code, generateToken: true }
      if (password !== null) input.password = await this.#encrypt(client, password)
      const answer = await client.graphql<AuthingUser>(REGISTER_BY_PHONE_CODE, { input }, 'registerByPhoneCode')
      return this.#outcome(answer, 'register', { code: 'code', account: 'code', phone: 'code' }, to.address)
    })
  }

  #resetRequest(account: string): FormSignIn {
    const kinds: ('phone' | 'email')[] = []
    if (this.#passwordKinds.includes('email') || this.#passwordKinds.includes('username')) kinds.push('email')
    if (this.#passwordKinds.includes('phone') || this.#app.codes.has('phone-code')) kinds.push('phone')
    const prefill = account !== '' && accountKind(account) !== 'username' ? account : undefined
    return this.#form(resetRequestForm({ kinds, ...(prefill === undefined ? {} : { account: prefill }) }), async (action, values) => {
      if (action === 'back') return this.first()
      if (action !== 'reset-request') return null
      const to = this.#target(required(values, 'target', 'Enter your email or phone number.'), kinds, 'target')
      return this.#resetConfirm(to)
    })
  }

  async #resetConfirm(to: { channel: 'phone' | 'email'; address: string }): Promise<FormSignIn> {
    const sent = await this.#send(to, 'reset', { account: 'target', phone: 'target', email: 'target' })
    const spec = codeEntryForm({
      id: 'reset-confirm',
      title: 'Choose a new password',
      target: to.address,
      ...sent,
      action: { id: 'reset-confirm', label: 'Set password and sign in' },
      extra: newPasswordPair(MIN_PASSWORD_LENGTH),
    })
    return this.#form(spec, async (action, values) => {
      if (action === 'back') return this.#resetRequest(to.address)
      if (action === 'code-resend') return this.#resetConfirm(to)
      if (action !== 'reset-confirm') return null
      const code = required(values, 'code', 'Enter the code.')
      const password = newPassword(values, true) ?? ''
      const client = new AuthingClient(this.#settings)
      const encrypted = await this.#encrypt(client, password)
      const variables = to.channel === 'phone' ? { phone: to.address, code, newPassword: encrypted } : { email: to.address, code, newPassword: encrypted }
      const reset = await client.graphql(RESET_PASSWORD, variables, 'resetPassword')
      if (!reset.ok) throw authingError(reset.failure, this.#settings.host, { code: 'code', newPassword: 'password', account: 'code' })
      this.#ctx.logger.info('authing.signin.password-reset', { host: this.#settings.host })
      // Straight back to signed in with the password just chosen (held for this one request).
      const [document, field, key] = LOGIN_DOCUMENT[to.channel]
      const answer = await client.graphql<AuthingUser>(document, { input: { [key]: to.address, password: await this.#encrypt(client, password) } }, field)
      if (!answer.ok && !(answer.failure.kind === 'business' && (answer.failure.code === 1635 || answer.failure.code === 1636))) {
        return this.first('Your password was changed. Sign in with it.', to.address)
      }
      return this.#outcome(answer, 'password', {}, to.address)
    })
  }

  async #browser(): Promise<BrowserSignIn> {
    return this.#browsers.add(await this.#deps.browser(this.#settings, this.#ctx))
  }

  /** Signed in; the second-factor form (1635, or the app's 1636); or an error the person can correct. */
  #outcome(answer: Answer<AuthingUser>, method: string, fields: FieldNames, account: string | null): SignInStart {
    const { host } = this.#settings
    if (answer.ok) {
      const signedIn = signedInFrom(answer.value, this.#ctx.clock.now(), host)
      this.#ctx.logger.info('authing.signin.completed', { host, method })
      return { kind: 'done', signedIn }
    }
    const failure = answer.failure
    if (failure.kind === 'business' && failure.code === 1635) {
      const mfaToken = failure.data.mfaToken
      if (typeof mfaToken !== 'string' || mfaToken === '') throw new AppError('AUTH_FAILED', `${host} asks for a second step but sent nothing to continue with.`)
      this.#ctx.logger.info('authing.signin.second-step', { host, method })
      return this.#mfa(mfaToken, account)
    }
    const passwordDue = failure.kind === 'business' ? PASSWORD_DUE[failure.code] : undefined
    if (failure.kind === 'business' && passwordDue !== undefined && account !== null) {
      const token = failure.data.token
      if (typeof token !== 'string' || token === '') throw new AppError('AUTH_FAILED', `${host} asks for a new password but sent nothing to continue with.`)
      this.#ctx.logger.info('authing.signin.password-required', { host, method, code: failure.code })
      return this.#requiredPassword(passwordDue, token, account)
    }
    if (failure.kind === 'business' && failure.code === 1636) {
      const mfaToken = failure.data.mfaToken
      if (typeof mfaToken !== 'string' || mfaToken === '') throw new AppError('AUTH_FAILED', `${host} asks for a second step but sent nothing to continue with.`)
      this.#ctx.logger.info('authing.signin.app-second-step', { host, method })
      return this.#appMfa(failure.data, mfaToken, account)
    }
    const error = authingError(failure, host, fields)
    this.#ctx.logger.warn('authing.signin.rejected', { host, method, code: failure.kind === 'business' ? failure.code : failure.kind })
    throw error
  }

  async #send(to: { channel: 'phone' | 'email'; address: string; countryCode?: string }, purpose: 'login' | 'register' | 'reset' | 'mfa', fields: FieldNames): Promise<{ resendAt: number; expiresAt: number }> {
    const sent = await this.#deps.codes.send(new AuthingClient(this.#settings), this.#settings, this.#ctx.clock, to, purpose, fields)
    this.#ctx.logger.info('authing.signin.code-sent', { host: this.#settings.host, channel: to.channel, purpose })
    return sent
  }

  async #encrypt(client: AuthingClient, password: string): Promise<string> {
    const encrypted = await client.encrypt(password)
    if (!encrypted.ok) throw authingError(encrypted.failure, this.#settings.host)
    return encrypted.value
  }

  async #ensureNew(client: AuthingClient, kind: AccountKind, address: string): Promise<void> {
    const answer = await client.graphql<boolean>(IS_USER_EXISTS, { [kind]: address }, 'isUserExists')
    if (answer.ok && answer.value) {
      throw new AppError('VALIDATION', `An account with this ${kind === 'phone' ? 'phone number' : kind} already exists. Sign in instead.`, { field: 'account' })
    }
    // A server without the check goes on: registration itself refuses a duplicate (2026).
  }

  async #checkStrength(client: AuthingClient, password: string): Promise<void> {
    const answer = await client.graphql<{ valid?: boolean; message?: string | null }>(CHECK_PASSWORD_STRENGTH, { password }, 'checkPasswordStrength')
    if (answer.ok && answer.value.valid === false) {
      throw new AppError('VALIDATION', `This password does not meet ${this.#settings.host}’s rule: ${answer.value.message ?? 'choose a stronger one'}.`, { field: 'password' })
    }
  }

  #target(value: string, channels: ('phone' | 'email')[], field: string): { channel: 'phone' | 'email'; address: string } {
    const kind = accountKind(value)
    if (kind === 'username' || !channels.includes(kind)) {
      throw new AppError('VALIDATION', channels.length === 2 ? 'Enter a phone number or an email address.' : channels[0] === 'email' ? 'Enter an email address.' : 'Enter a phone number.', { field })
    }
    return { channel: kind, address: normalised(value, kind) }
  }

  #form(spec: FormSpec, handle: (action: string, values: FormValues) => Promise<SignInStart | null>): FormSignIn {
    return formStep(spec, handle, () => this.#browsers.cancelAll())
  }
}

/**
 * The mfaToken is used up or past its lifetime: Authing answers 2021 (Guard, its own login page,
 * then goes back to the login form); 2020 from servers that treat it as no sign-in at all.
 */
function isStaleMfaToken(failure: AuthingFailure): boolean {
  return failure.kind === 'business' && (failure.code === 2021 || failure.code === 2020)
}

/** The new password typed twice, or null when it may be left out and was. */
function newPassword(values: FormValues, mandatory: boolean): string | null {
  const password = text(values, 'password', { trim: false })
  if (password === '' && !mandatory) return null
  if (password === '') throw new AppError('VALIDATION', 'Choose a password.', { field: 'password' })
  if (password.length < 6) throw new AppError('VALIDATION', 'The password needs at least 6 characters.', { field: 'password' })
  if (text(values, 'passwordConfirm', { trim: false }) !== password) throw new AppError('VALIDATION', 'The two passwords are not the same.', { field: 'passwordConfirm' })
  return password
}
