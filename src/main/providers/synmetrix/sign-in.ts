/**
 * A Synmetrix sign-in as a sequence of forms: email + password (then, for an account with MFA, the
 * authenticator code against the 60-minute ticket), an emailed sign-in link, a new account, or a link
 * the person brings from an email. Every request sends `cookie: false`; passwords and codes live only
 * in the call that sends them.
 */
import type { FormSpec, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import { formStep } from '../form-step.ts'
import { required, text } from '../form-values.ts'
import { hbp } from './client.ts'
import { linkReturnUrl, type SynmetrixSettings } from './config.ts'
import { failureError } from './errors.ts'
import { exchangeRefreshToken, readPasted, redeem } from './links.ts'
import { openLinkReturn, type LinkReturn } from './link-return.ts'
import { postLogin } from './login-request.ts'
import { isRefreshToken, NotASession, signedInFrom } from './session.ts'
import type { PasteContext } from './sign-in-forms.ts'
import { firstForm, MFA_TICKET_MS, mfaForm, pasteForm, registerForm, resetForm } from './sign-in-forms.ts'

const FIELDS = { email: 'email', password: 'password', code: 'code', ticket: 'code' } as const

export async function beginSynmetrixSignIn(settings: SynmetrixSettings, ctx: ProviderContext): Promise<SignInStart> {
  await checkIsHbp(settings, ctx)
  ctx.logger.info('synmetrix.signin.started', { host: settings.host })
  return new SignInFlow(settings, ctx).first()
}

/**
 * Before any password is sent: is there hasura-backend-plus under /auth? Its /auth/jwks answers
 * either a key set (RS*) or, under HS256 as on Synmetrix, 501 "JWKS is not implemented on this server."
 */
export async function checkIsHbp(settings: SynmetrixSettings, ctx: ProviderContext): Promise<void> {
  const answer = await hbp(settings, { method: 'GET', path: '/jwks' })
  if (answer.ok && typeof answer.body === 'object' && answer.body !== null && Array.isArray((answer.body as { keys?: unknown }).keys)) return
  if (!answer.ok && answer.kind === 'http' && answer.status === 501 && /JWKS is not implemented/i.test(answer.message)) return
  if (!answer.ok && (answer.kind === 'unreachable' || answer.status === 429)) throw failureError(answer, { host: settings.host, now: ctx.clock.now() })
  throw new AppError(
    'DISCOVERY_FAILED',
    `${settings.host} does not answer like a Synmetrix server: there is no hasura-backend-plus under ${settings.url}/auth. Check the address.`,
  )
}

class SignInFlow {
  readonly #settings: SynmetrixSettings
  readonly #ctx: ProviderContext

  constructor(settings: SynmetrixSettings, ctx: ProviderContext) {
    this.#settings = settings
    this.#ctx = ctx
  }

  first(email?: string, notice?: string): FormSignIn {
    return this.#form(firstForm(this.#settings.host, email, notice), async (action, values) => {
      const typed = text(values, 'email')
      if (action === 'password') return this.#password(values)
      if (action === 'magic-link') return this.#requestMagicLink(typed)
      if (action === 'register-form') return this.#register(typed === '' ? undefined : typed)
      if (action === 'paste-form') return this.#paste({ kind: 'any' })
      if (action === 'reset-request') return this.#requestReset(typed)
      return null
    })
  }

  #register(email?: string): FormSignIn {
    return this.#form(registerForm(this.#settings.host, email), async (action, values) => {
      if (action === 'back') return this.first(text(values, 'email') || email)
      if (action !== 'register') return null
      return this.#submitRegistration(values)
    })
  }

  #paste(context: PasteContext, back: LinkReturn | null = null): FormSignIn {
    const step = this.#form(pasteForm(this.#settings.host, context), async (action, values) => {
      if (action === 'back') {
        back?.close()
        return this.first(context.kind === 'any' ? undefined : context.email)
      }
      if (action === 'magic-link' && context.kind === 'magic-link') {
        back?.close()
        return this.#requestMagicLink(context.email)
      }
      if (action === 'link-opened' && back !== null && context.kind === 'magic-link') return this.#linkCameBack(back, context.email)
      if (action !== 'use-link') return null
      back?.close()
      const pasted = readPasted(required(values, 'link', 'Paste the link or the token from the email.'), this.#settings, context.kind === 'activation' ? 'activation' : 'refresh-token')
      const signedIn = await redeem(this.#settings, pasted, this.#ctx)
      this.#ctx.logger.info('synmetrix.signin.completed', { host: this.#settings.host, method: pasted.kind === 'refresh-token' ? 'magic-link' : 'activation' })
      return { kind: 'done', signedIn }
    })
    return back === null ? step : { ...step, cancel: () => back.close() }
  }

  /**
   * The browser brought a refresh token back to the loopback. HBP carries no state, so the answer
   * is bound to this attempt by whom it signs in: another account's token is not used.
   */
  async #linkCameBack(back: LinkReturn, email: string): Promise<SignInStart> {
    const token = back.arrived()
    if (token === null) {
      throw new AppError('VALIDATION', `The browser has not come back yet. Open the link from the email in a browser on this computer, or paste the link here.`)
    }
    const signedIn = await exchangeRefreshToken(this.#settings, token, this.#ctx)
    if ((signedIn.identity.email ?? '').toLowerCase() !== email.toLowerCase()) {
      this.#ctx.logger.warn('synmetrix.signin.link-mismatch', { host: this.#settings.host })
      throw new AppError(
        'AUTH_STATE_MISMATCH',
        `The link that came back signs in another account, not ${email}, so it was not used. Ask for a new link and open the one sent to ${email}.`,
      )
    }
    this.#ctx.logger.info('synmetrix.signin.completed', { host: this.#settings.host, method: 'magic-link-loopback' })
    return { kind: 'done', signedIn }
  }

  #mfa(ticket: string, email: string, expiresAt: number): FormSignIn {
    return this.#form(mfaForm(this.#settings.host, expiresAt), async (action, values) => {
      if (action === 'back') return this.first(email)
      if (action !== 'mfa') return null
      const code = required(values, 'code', 'Enter the code from your authenticator app.').replace(/\s+/g, '')
      if (!/^\d{6}$/.test(code)) throw new AppError('VALIDATION', 'Enter the 6-digit code from your authenticator app.', { field: 'code' })
      const answer = await hbp(this.#settings, { method: 'POST', path: '/mfa/totp', json: { code, ticket, cookie: false } })
      if (!answer.ok && answer.kind === 'http' && answer.status === 401 && /ticket/i.test(answer.message)) {
        return this.first(email, 'The second step took too long. Sign in again.')
      }
      return this.#done(answer, 'mfa')
    })
  }

  async #password(values: FormValues): Promise<SignInStart> {
    const email = required(values, 'email', 'Enter your email address.')
    const password = required(values, 'password', 'Enter your password.', { trim: false })
    const answer = await postLogin(this.#settings, { email, password })
    if (!answer.ok && answer.kind === 'http' && answer.status === 400 && answer.message === '') {
      // HBP's bcrypt throws on an account without a password hash: a 400 that says nothing.
      this.#ctx.logger.warn('synmetrix.signin.rejected', { host: this.#settings.host, method: 'password', code: 'AUTH_FAILED' })
      throw new AppError(
        'AUTH_FAILED',
        `${this.#settings.host} refused the password without saying why. This account may have no password yet (one made with a sign-in link): use “Email me a sign-in link”. Otherwise try again later.`,
      )
    }
    if (answer.ok && isMfaAnswer(answer.body)) {
      this.#ctx.logger.info('synmetrix.signin.second-step', { host: this.#settings.host })
      return this.#mfa(answer.body.ticket, email, this.#ctx.clock.now() + MFA_TICKET_MS)
    }
    return this.#done(answer, 'password')
  }

  /** Lost password (off on Synmetrix: HBP answers a bare 500): a ticket by email, then a new password, then signed in with it. */
  async #requestReset(email: string): Promise<SignInStart> {
    if (email === '') throw new AppError('VALIDATION', 'Enter your email address: the reset ticket is sent there.', { field: 'email' })
    const host = this.#settings.host
    const asked = await hbp(this.#settings, { method: 'POST', path: '/change-password/request', json: { email } })
    if (!asked.ok) throw failureError(asked, { host, now: this.#ctx.clock.now(), fields: FIELDS, feature: 'lost-password emails' })
    this.#ctx.logger.info('synmetrix.signin.reset-requested', { host })
    return this.#form(resetForm(host, email), async (action, values) => {
      if (action === 'back') return this.first(email)
      if (action !== 'reset-confirm') return null
      const pasted = required(values, 'ticket', 'Paste the ticket from the email.')
      const ticket = URL.parse(pasted)?.searchParams.get('ticket') ?? pasted
      if (!isRefreshToken(ticket)) throw new AppError('VALIDATION', 'That is not a ticket from this server’s email.', { field: 'ticket' })
      const password = required(values, 'password', 'Choose a new password.', { trim: false })
      if (text(values, 'passwordConfirm', { trim: false }) !== password) throw new AppError('VALIDATION', 'The two passwords are not the same.', { field: 'passwordConfirm' })
      const changed = await hbp(this.#settings, { method: 'POST', path: '/change-password/change', json: { ticket, new_password: password } })
      if (!changed.ok) throw failureError(changed, { host, now: this.#ctx.clock.now(), fields: { ...FIELDS, new_password: 'password' }, feature: 'lost-password emails' })
      this.#ctx.logger.info('synmetrix.signin.password-reset', { host })
      return this.#password({ email, password })
    })
  }

  async #requestMagicLink(email: string): Promise<SignInStart> {
    if (email === '') throw new AppError('VALIDATION', 'Enter your email address: the link is sent there.', { field: 'email' })
    const port = this.#settings.linkPort
    // Listening before the email goes out: a port in use is said now, not after the link is opened.
    const back = port === null ? null : await openLinkReturn(port, this.#ctx)
    try {
      return await this.#sendMagicLink(email, back)
    } catch (error) {
      back?.close()
      throw error
    }
  }

  async #sendMagicLink(email: string, back: LinkReturn | null): Promise<SignInStart> {
    // No password: HBP mails a sign-in link (when MAGIC_LINK_ENABLED). Without it, the password is "required".
    const answer = await postLogin(this.#settings, { email })
    if (!answer.ok) {
      if (answer.kind === 'http' && answer.status === 400 && answer.message === '"password" is required') {
        throw new AppError('UNSUPPORTED', `${this.#settings.host} has turned sign-in links off. Sign in with your password.`)
      }
      if (answer.kind === 'http' && answer.status === 500) throw new AppError('UNSUPPORTED', `${this.#settings.host} could not send the email: it may have turned email off.`)
      throw failureError(answer, { host: this.#settings.host, now: this.#ctx.clock.now(), fields: FIELDS })
    }
    this.#ctx.logger.info('synmetrix.signin.link-requested', { host: this.#settings.host })
    const port = this.#settings.linkPort
    return this.#paste(back === null || port === null ? { kind: 'magic-link', email } : { kind: 'magic-link', email, returnsTo: linkReturnUrl(port) }, back)
  }

  async #submitRegistration(values: FormValues): Promise<SignInStart> {
    const email = required(values, 'email', 'Enter your email address.')
    const password = required(values, 'password', 'Choose a password.', { trim: false })
    if (text(values, 'passwordConfirm', { trim: false }) !== password) {
      throw new AppError('VALIDATION', 'The two passwords are not the same.', { field: 'passwordConfirm' })
    }
    const answer = await hbp(this.#settings, { method: 'POST', path: '/register', json: { email, password, cookie: false } })
    if (answer.ok && typeof answer.body === 'object' && answer.body !== null && (answer.body as { jwt_token?: unknown }).jwt_token === null) {
      // AUTO_ACTIVATE_NEW_USERS off, VERIFY_EMAILS on: an activation email is on its way.
      this.#ctx.logger.info('synmetrix.signin.registered-pending', { host: this.#settings.host })
      return this.#paste({ kind: 'activation', email })
    }
    return this.#done(answer, 'register')
  }

  #done(answer: Awaited<ReturnType<typeof hbp>>, method: string): SignInStart {
    const now = this.#ctx.clock.now()
    if (!answer.ok) {
      const error = failureError(answer, { host: this.#settings.host, now, fields: FIELDS, ...(method === 'mfa' ? { feature: 'authenticator codes' } : {}) })
      this.#ctx.logger.warn('synmetrix.signin.rejected', { host: this.#settings.host, method, code: error.code })
      throw error
    }
    try {
      const signedIn = signedInFrom(answer.body, this.#settings, now)
      this.#ctx.logger.info('synmetrix.signin.completed', { host: this.#settings.host, method })
      return { kind: 'done', signedIn }
    } catch (error) {
      if (!(error instanceof NotASession)) throw error
      throw new AppError('AUTH_FAILED', `${this.#settings.host} did not answer with a session Latchkey can use.`)
    }
  }

  #form(spec: FormSpec, handle: (action: string, values: FormValues) => Promise<SignInStart | null>): FormSignIn {
    return formStep(spec, handle)
  }
}

function isMfaAnswer(body: unknown): body is { mfa: true; ticket: string } {
  if (typeof body !== 'object' || body === null) return false
  const answer = body as { mfa?: unknown; ticket?: unknown }
  return answer.mfa === true && isRefreshToken(answer.ticket)
}
