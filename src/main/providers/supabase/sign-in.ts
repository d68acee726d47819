/**
 * A Supabase sign-in as a sequence of forms (and browser steps), each request one auth-js call on a
 * client of its own: password (email or phone), a one-time code by email or text, a sign-in link
 * that opens on this computer (PKCE; the loopback path carries a per-attempt nonce, since GoTrue does
 * not round-trip `state`), an OAuth provider in the browser, anonymous sign-in, sign-up, a forgotten
 * password; then, for an account with a verified authenticator, the aal1 → aal2 step-up.
 */
import type { Session as AuthSession } from '@supabase/auth-js'
import type { FormSpec, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { formStep } from '../form-step.ts'
import { newPassword, text } from '../form-values.ts'
import { supabaseClient } from './client.ts'
import type { SupabaseClient } from './client.ts'
import type { SupabaseSettings } from './config.ts'
import { authError } from './errors.ts'
import { openNonceLoopback } from './loopback.ts'
import type { NonceLoopback } from './loopback.ts'
import { loadServerSettings, oauthOptions, providerDisplayName } from './server-settings.ts'
import type { ServerSettings } from './server-settings.ts'
import { checkNewPasswordLength, codeForm, EMAIL_SHAPE, firstForm, OAUTH_ACTION_PREFIX, resetForm } from './sign-in-forms.ts'
import { SecondStep, secondFactors } from './second-step.ts'
import { signedInOf } from './signed-in.ts'

type Handler = (action: string, values: FormValues) => Promise<SignInStart | null>

/** Email or phone, as the person typed it in the one identity field. */
type Identity = { email: string } | { phone: string }

export async function beginSupabaseSignIn(settings: SupabaseSettings, ctx: ProviderContext, deps: { timeoutMs: number }): Promise<SignInStart> {
  const server = await loadServerSettings(settings, ctx.clock.now())
  if (!server.email && !server.phone && server.oauth.length === 0 && !server.anonymous) {
    throw new AppError('AUTH_FAILED', `${settings.host} has no sign-in method turned on. Ask the project’s administrator.`)
  }
  ctx.logger.info('supabase.signin.started', { host: settings.host })
  return new SignInFlow(settings, server, ctx, deps.timeoutMs).first()
}

class SignInFlow {
  readonly #settings: SupabaseSettings
  readonly #server: ServerSettings
  readonly #ctx: ProviderContext
  readonly #timeoutMs: number
  /** Loopback receivers and browser steps still open, closed when the attempt is cancelled. */
  readonly #open = new Set<{ close(): void }>()

  constructor(settings: SupabaseSettings, server: ServerSettings, ctx: ProviderContext, timeoutMs: number) {
    this.#settings = settings
    this.#server = server
    this.#ctx = ctx
    this.#timeoutMs = timeoutMs
  }

  first(notice?: string, identity?: string): FormSignIn {
    const spec = firstForm({ host: this.#settings.host, server: this.#server, ...(notice === undefined ? {} : { notice }), ...(identity === undefined ? {} : { identity }) })
    return this.#form(spec, async (action, values) => {
      switch (action) {
        case 'password':
          return this.#password(values)
        case 'code-request':
          return this.#requestCode(this.#identity(values))
        case 'link-request':
          return this.#requestLink(this.#email(values))
        case 'anonymous':
          return this.#anonymous()
        case 'sign-up':
          return this.#signUp(values)
        case 'reset-request':
          return this.#requestReset(this.#email(values))
        default:
          if (action.startsWith(OAUTH_ACTION_PREFIX) && this.#server.oauth.includes(action.slice(OAUTH_ACTION_PREFIX.length))) {
            return this.#oauth(action.slice(OAUTH_ACTION_PREFIX.length))
          }
          return null
      }
    })
  }

  #form(spec: FormSpec, handle: Handler): FormSignIn {
    return formStep(spec, handle, () => {
      for (const open of this.#open) open.close()
      this.#open.clear()
    })
  }

  #client(storage?: SupabaseClient['storage']): SupabaseClient {
    return supabaseClient(this.#settings, null, storage)
  }

  #fail(error: unknown, fields: Readonly<Record<string, string>> = {}): AppError {
    const failure = authError(error, this.#settings.host, this.#ctx.clock.now(), fields)
    this.#ctx.logger.warn('supabase.signin.rejected', { host: this.#settings.host, code: failure.code })
    return failure
  }

  #identity(values: FormValues): Identity {
    const typed = text(values, 'identity')
    if (typed === '') throw new AppError('VALIDATION', `Enter your ${this.#server.phone && !this.#server.email ? 'phone number' : 'email address'}.`, { field: 'identity' })
    if (this.#server.phone && /^\+?[\d\s().-]{6,}$/.test(typed)) return { phone: typed.replace(/[\s().-]/g, '') }
    if (!EMAIL_SHAPE.test(typed)) {
      throw new AppError('VALIDATION', this.#server.phone ? 'Enter an email address, or a phone number starting with +.' : 'Enter a valid email address.', { field: 'identity' })
    }
    if (!this.#server.email) throw new AppError('VALIDATION', `${this.#settings.host} signs in with phone numbers only.`, { field: 'identity' })
    return { email: typed }
  }

  #email(values: FormValues): string {
    const identity = this.#identity(values)
    if (!('email' in identity)) throw new AppError('VALIDATION', 'This needs an email address.', { field: 'identity' })
    return identity.email
  }

  async #password(values: FormValues): Promise<SignInStart> {
    const identity = this.#identity(values)
    const password = text(values, 'password', { trim: false })
    if (password === '') throw new AppError('VALIDATION', 'Enter your password.', { field: 'password' })
    const { auth } = this.#client()
    const { data, error } = await auth.signInWithPassword({ ...identity, password })
    if (error !== null) throw this.#fail(error, { invalid_credentials: 'password' })
    return this.#firstFactorDone(data.session, 'password')
  }

  /** After the first factor: signed in, or the second-factor form when the account has a verified authenticator or phone factor. */
  async #firstFactorDone(session: AuthSession, method: string): Promise<SignInStart> {
    const now = this.#ctx.clock.now()
    const factors = secondFactors(session.user.factors ?? [])
    if (factors.length === 0) {
      this.#ctx.logger.info('supabase.signin.completed', { host: this.#settings.host, method, aal: 'aal1' })
      return { kind: 'done', signedIn: signedInOf(session, now) }
    }
    this.#ctx.logger.info('supabase.signin.second-step', { host: this.#settings.host, method })
    const aal1 = signedInOf(session, now)
    const client = supabaseClient(this.#settings, { key: aal1.identity.subject, session: aal1.session, user: session.user })
    return new SecondStep(this.#settings, this.#ctx, aal1, client, factors, {
      form: (spec, handle) => this.#form(spec, handle),
      fail: (error, fields) => this.#fail(error, fields),
      back: async () => {
        await this.#endSession(aal1)
        return this.first()
      },
      done: (stepped) => {
        this.#ctx.logger.info('supabase.signin.completed', { host: this.#settings.host, method, aal: 'aal2' })
        return { kind: 'done', signedIn: signedInOf(stepped, this.#ctx.clock.now()) }
      },
    }).start()
  }

  /** A sign-in left at aal1 (the second step was abandoned) is ended on the server, not left behind. */
  async #endSession(signedIn: SignedIn): Promise<void> {
    const { auth } = supabaseClient(this.#settings, { key: signedIn.identity.subject, session: signedIn.session })
    await auth.signOut({ scope: 'local' }).catch(() => undefined)
  }

  async #requestCode(identity: Identity): Promise<SignInStart> {
    const { auth } = this.#client()
    const options = { shouldCreateUser: false }
    const { error } = await auth.signInWithOtp('email' in identity ? { email: identity.email, options } : { phone: identity.phone, options })
    if (error !== null) throw this.#fail(error, { otp_disabled: 'identity', email_address_invalid: 'identity', validation_failed: 'identity' })
    this.#ctx.logger.info('supabase.signin.code-requested', { host: this.#settings.host, channel: 'email' in identity ? 'email' : 'sms' })
    const where = 'email' in identity ? identity.email : identity.phone
    const spec = codeForm({ id: 'code', title: `Sign in to ${this.#settings.host}`, description: `We sent a code to ${where}. Enter it here.`, link: false, resend: true })
    return this.#codeStep(spec, identity, null, null)
  }

  async #requestLink(email: string): Promise<SignInStart> {
    const loopback = await openNonceLoopback(this.#timeoutMs, this.#ctx)
    this.#open.add(loopback)
    const client = this.#client()
    const { error } = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false, emailRedirectTo: loopback.redirectUri } })
    if (error !== null) {
      loopback.close()
      throw this.#fail(error, { otp_disabled: 'identity', email_address_invalid: 'identity' })
    }
    this.#ctx.logger.info('supabase.signin.link-requested', { host: this.#settings.host })
    const spec = codeForm({
      id: 'link',
      title: `Sign in to ${this.#settings.host}`,
      description: `We emailed a sign-in link to ${email}. Open it in a browser on this computer, then press “I opened the link” — or type the code from the email, if it has one.`,
      link: true,
      resend: false,
      expiresAt: loopback.expiresAt,
    })
    return this.#codeStep(spec, { email }, loopback, client)
  }

  #codeStep(spec: FormSpec, identity: Identity, loopback: NonceLoopback | null, client: SupabaseClient | null): FormSignIn {
    return this.#form(spec, async (action, values) => {
      if (action === 'back') {
        loopback?.close()
        return this.first(undefined, 'email' in identity ? identity.email : identity.phone)
      }
      if (action === 'resend') return this.#requestCode(identity)
      if (action === 'link' && loopback !== null && client !== null) {
        const code = await loopback.code()
        const { data, error } = await client.auth.exchangeCodeForSession(code)
        if (error !== null) throw this.#fail(error)
        return this.#firstFactorDone(data.session, 'link')
      }
      if (action !== 'code') return null
      const code = text(values, 'code')
      if (code === '') throw new AppError('VALIDATION', 'Enter the code.', { field: 'code' })
      const { auth } = this.#client()
      const verify = 'email' in identity ? { email: identity.email, token: code, type: 'email' as const } : { phone: identity.phone, token: code, type: 'sms' as const }
      const { data, error } = await auth.verifyOtp(verify)
      if (error !== null || data.session === null) throw this.#fail(error, { otp_expired: 'code' })
      loopback?.close()
      return this.#firstFactorDone(data.session, 'otp')
    })
  }

  async #oauth(provider: string): Promise<BrowserSignIn> {
    const loopback = await openNonceLoopback(this.#timeoutMs, this.#ctx)
    const client = this.#client()
    const { data, error } = await client.auth.signInWithOAuth({ provider: provider as 'keycloak', options: { redirectTo: loopback.redirectUri, skipBrowserRedirect: true, ...oauthOptions(provider) } })
    if (error !== null) {
      loopback.close()
      throw this.#fail(error)
    }
    const name = providerDisplayName(provider)
    const result = loopback.code().then(async (code) => {
      const exchanged = await client.auth.exchangeCodeForSession(code)
      if (exchanged.error !== null) throw this.#fail(exchanged.error)
      const next = await this.#firstFactorDone(exchanged.data.session, `oauth:${provider}`)
      if (next.kind === 'done') return next.signedIn
      if (next.kind === 'form') return next
      throw new AppError('AUTH_FAILED', `${name} sent the browser back, but the sign-in did not finish.`)
    })
    result.catch(() => undefined)
    this.#open.add(loopback)
    return { kind: 'browser', url: data.url, expiresAt: loopback.expiresAt, result, cancel: () => loopback.close() }
  }

  async #anonymous(): Promise<SignInStart> {
    const { auth } = this.#client()
    const { data, error } = await auth.signInAnonymously()
    if (error !== null || data.session === null) throw this.#fail(error)
    this.#ctx.logger.info('supabase.signin.completed', { host: this.#settings.host, method: 'anonymous', aal: 'aal1' })
    return { kind: 'done', signedIn: signedInOf(data.session, this.#ctx.clock.now()) }
  }

  async #signUp(values: FormValues): Promise<SignInStart> {
    const identity = this.#identity(values)
    const password = text(values, 'password', { trim: false })
    if (password === '') throw new AppError('VALIDATION', 'Choose a password for the new account.', { field: 'password' })
    checkNewPasswordLength(password)
    const { auth } = this.#client()
    const { data, error } = await auth.signUp({ ...identity, password })
    if (error !== null) throw this.#fail(error, { weak_password: 'password', email_address_invalid: 'identity', user_already_exists: 'identity', validation_failed: 'identity' })
    if (data.session !== null) {
      this.#ctx.logger.info('supabase.signin.completed', { host: this.#settings.host, method: 'sign-up', aal: 'aal1' })
      return { kind: 'done', signedIn: signedInOf(data.session, this.#ctx.clock.now()) }
    }
    this.#ctx.logger.info('supabase.signin.sign-up-confirmation', { host: this.#settings.host })
    const where = 'email' in identity ? identity.email : identity.phone
    const spec = codeForm({
      id: 'confirm-sign-up',
      title: 'Confirm the new account',
      description: `Check ${where}: if it can be registered on ${this.#settings.host}, a confirmation ${'email' in identity ? 'email' : 'text message'} is on its way. Enter its code here.`,
      link: false,
      resend: true,
    })
    return this.#form(spec, async (action, answer) => {
      if (action === 'back') return this.first(undefined, where)
      if (action === 'resend') {
        const { error: resent } = await this.#client().auth.resend('email' in identity ? { type: 'signup', email: identity.email } : { type: 'sms', phone: identity.phone })
        if (resent !== null) throw this.#fail(resent)
        return this.#form(spec, async (again, next) => (again === 'code' ? this.#confirmSignUp(identity, next) : null))
      }
      if (action !== 'code') return null
      return this.#confirmSignUp(identity, answer)
    })
  }

  async #confirmSignUp(identity: Identity, values: FormValues): Promise<SignInStart> {
    const code = text(values, 'code')
    if (code === '') throw new AppError('VALIDATION', 'Enter the code.', { field: 'code' })
    const verify = 'email' in identity ? { email: identity.email, token: code, type: 'signup' as const } : { phone: identity.phone, token: code, type: 'sms' as const }
    const { data, error } = await this.#client().auth.verifyOtp(verify)
    if (error !== null || data.session === null) throw this.#fail(error, { otp_expired: 'code' })
    return this.#firstFactorDone(data.session, 'sign-up')
  }

  /** The emailed reset has a code and a link: the link opened on this computer lands on the loopback (PKCE). */
  async #requestReset(email: string): Promise<SignInStart> {
    const loopback = await openNonceLoopback(this.#timeoutMs, this.#ctx)
    this.#open.add(loopback)
    const client = this.#client()
    const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: loopback.redirectUri })
    if (error !== null) {
      loopback.close()
      throw this.#fail(error, { email_address_invalid: 'identity' })
    }
    this.#ctx.logger.info('supabase.signin.reset-requested', { host: this.#settings.host })
    return this.#form(resetForm({ email, host: this.#settings.host, expiresAt: loopback.expiresAt }), async (action, values) => {
      if (action === 'back') {
        loopback.close()
        return this.first(undefined, email)
      }
      if (action === 'reset-link') {
        const password = checkNewPasswordLength(newPassword(values))
        const exchanged = await client.auth.exchangeCodeForSession(await loopback.code())
        if (exchanged.error !== null) throw this.#fail(exchanged.error)
        return this.#setNewPassword(exchanged.data.session, password)
      }
      if (action !== 'reset-confirm') return null
      const code = text(values, 'code')
      if (code === '') throw new AppError('VALIDATION', 'Enter the code from the email, or open its link on this computer and press “I opened the link”.', { field: 'code' })
      const password = checkNewPasswordLength(newPassword(values))
      const verified = await this.#client().auth.verifyOtp({ email, token: code, type: 'recovery' })
      if (verified.error !== null || verified.data.session === null) throw this.#fail(verified.error, { otp_expired: 'code' })
      loopback.close()
      return this.#setNewPassword(verified.data.session, password)
    })
  }

  /** With the recovery session the email gave: the new password, then signed in (or the second step). */
  async #setNewPassword(session: AuthSession, password: string): Promise<SignInStart> {
    const recovery = signedInOf(session, this.#ctx.clock.now())
    const client = supabaseClient(this.#settings, { key: recovery.identity.subject, session: recovery.session, user: session.user })
    const { error } = await client.auth.updateUser({ password })
    if (error !== null) throw this.#fail(error, { weak_password: 'password', same_password: 'password' })
    this.#ctx.logger.info('supabase.signin.password-reset', { host: this.#settings.host })
    return this.#firstFactorDone(session, 'recovery')
  }
}
