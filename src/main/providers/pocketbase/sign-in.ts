/**
 * A PocketBase sign-in as a sequence of forms: the collection's enabled methods (password, an
 * emailed code, OAuth2 in the browser), then, when the collection asks for MFA, a second step with
 * one of the OTHER methods, completed with the `mfaId` the first step earned. Every request is one
 * SDK call on a fresh client; passwords and codes live only in the call that sends them.
 */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { BrowserSignIn, FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { formStep } from '../form-step.ts'
import { OpenBrowserSteps } from '../open-browser-steps.ts'
import { loadAuthMethods } from './auth-methods.ts'
import type { AuthMethods } from './auth-methods.ts'
import { actionError, newPassword, required, text } from './action-support.ts'
import { pocketBaseClient, tokenClaim } from './client.ts'
import type { PocketBaseSettings } from './config.ts'
import { attempt, isExpiredMfa, isOtherAccountsMfa } from './errors.ts'
import { beginOAuth2SignIn } from './oauth2.ts'
import type { AuthAnswer } from './oauth2.ts'
import { signInError } from './sign-in-errors.ts'
import type { SignInMethod } from './sign-in-errors.ts'
import {
  credentialsForm,
  describeSeconds,
  describeWindow,
  emailFieldKey,
  firstFormId,
  identityLabel,
  OAUTH2_ACTION_PREFIX,
  otpCodeForm,
  resetConfirmForm,
} from './sign-in-forms.ts'
import type { CredentialOffer } from './sign-in-forms.ts'
import { signedInFrom } from './record.ts'

type Method = 'password' | 'otp' | 'oauth2'

/** A code request the server answered: its otpId, and whether it handed back an earlier one (no new code). */
interface OtpSent {
  otpId: string
  email: string
  expiresAt: number
  reused: boolean
}

/** A first step that earned an `mfaId`: the second step must use another method before it expires. */
interface MfaStep {
  mfaId: string
  first: Method
  expiresAt: number
  /** What the person typed in the first step (an email to prefill). */
  identity: string | null
}

/** PocketBase's defaults when auth-methods does not say (src core/collection_model_auth_options.go). */
const DEFAULT_MFA_SECONDS = 600
const DEFAULT_OTP_SECONDS = 180

export async function beginPocketBaseSignIn(settings: PocketBaseSettings, ctx: ProviderContext, deps: { timeoutMs: number }): Promise<SignInStart> {
  if (settings.impersonatedBy !== null) {
    throw new AppError('UNSUPPORTED', 'This session came from impersonation; impersonate again from the superuser account.')
  }
  const methods = await loadAuthMethods(pocketBaseClient(settings, null), settings)
  if (!methods.password.enabled && !methods.otp.enabled && !methods.oauth2.enabled) {
    throw new AppError(
      'AUTH_FAILED',
      `${settings.host} has no sign-in method turned on for the “${settings.collection}” collection (no password, email code or OAuth2). Ask its administrator.`,
    )
  }
  ctx.logger.info('pocketbase.signin.started', { host: settings.host, collection: settings.collection })
  return new SignInFlow(settings, methods, ctx, deps.timeoutMs).first()
}

class SignInFlow {
  readonly #settings: PocketBaseSettings
  readonly #methods: AuthMethods
  readonly #ctx: ProviderContext
  readonly #timeoutMs: number
  /** Browser steps still waiting, closed when the whole attempt is cancelled. */
  readonly #browsers = new OpenBrowserSteps()

  constructor(settings: PocketBaseSettings, methods: AuthMethods, ctx: ProviderContext, timeoutMs: number) {
    this.#settings = settings
    this.#methods = methods
    this.#ctx = ctx
    this.#timeoutMs = timeoutMs
  }

  /** The first form; `notice` explains why the person is back here. */
  first(notice?: string): FormSignIn {
    const offer = this.#offer(null)
    return this.#credentials(null, offer, {
      id: firstFormId(offer),
      title: `Sign in to ${this.#settings.host}`,
      ...(notice === undefined ? {} : { description: notice }),
      // A reset token goes to an email address: offered where the identity can be one.
      offerReset: this.#methods.password.identityFields.length === 0 || this.#methods.password.identityFields.includes('email'),
    })
  }

  #mfa(step: MfaStep): FormSignIn {
    const offer = this.#offer(step)
    if (!offer.password && !offer.otp && offer.oauth2.length === 0) {
      throw new AppError('AUTH_FAILED', `${this.#settings.host} asks for a second sign-in step, but no other sign-in method is turned on.`)
    }
    const minutes = describeSeconds(this.#mfaSeconds())
    return this.#credentials(step, offer, {
      id: 'mfa',
      title: 'Second step required',
      description: `${this.#settings.host} asks for a second way to confirm it is you. Finish within ${minutes}.`,
      expiresAt: step.expiresAt,
      identity: step.identity ?? undefined,
    })
  }

  #credentials(
    mfa: MfaStep | null,
    offer: CredentialOffer,
    form: { id: string; title: string; description?: string; expiresAt?: number; identity?: string; offerReset?: boolean },
  ): FormSignIn {
    const spec = credentialsForm({ ...form, offer, identityFields: this.#methods.password.identityFields })
    const back = (): FormSignIn => this.#credentials(mfa, offer, form)
    return this.#form(spec, async (action, values) => {
      if (action === 'password' && offer.password) return this.#password(values, mfa)
      if (action === 'otp-request' && offer.otp) {
        const field = emailFieldKey(offer)
        return this.#requestOtp(text(values, field), field, mfa, back)
      }
      if (action === 'reset-request' && offer.password && mfa === null && form.offerReset === true) {
        return this.#requestReset(text(values, 'identity'), back)
      }
      if (action.startsWith(OAUTH2_ACTION_PREFIX)) {
        const name = action.slice(OAUTH2_ACTION_PREFIX.length)
        if (offer.oauth2.some((provider) => provider.name === name)) return this.#oauth2(name, mfa)
      }
      return null
    })
  }

  #otpCode(otp: OtpSent, emailField: string, mfa: MfaStep | null, back: () => FormSignIn): FormSignIn {
    const spec = otpCodeForm({
      email: otp.email,
      host: this.#settings.host,
      expiresAt: otp.expiresAt,
      validForSeconds: this.#otpSeconds(),
      title: mfa === null ? `Sign in to ${this.#settings.host}` : 'Second step required',
      noNewCode: otp.reused,
      newCodeAfter: this.#ctx.clock.now() + this.#otpSeconds() * 1000,
    })
    return this.#form(spec, async (action, values) => {
      if (action === 'otp') return this.#submitOtp(otp.otpId, otp.email, values, mfa)
      if (action === 'otp-request') return this.#requestOtp(otp.email, emailField, mfa, back, otp)
      if (action === 'back') return back()
      return null
    })
  }

  #form(spec: FormSignIn['form'], handle: (action: string, values: FormValues) => Promise<SignInStart | null>): FormSignIn {
    return formStep(spec, handle, () => this.#browsers.cancelAll())
  }

  /** "Forgot your password?": asks for a reset email, then a form for the token and the new password. */
  async #requestReset(email: string, back: () => FormSignIn): Promise<SignInStart> {
    if (!isEmailAddress(email)) throw new AppError('VALIDATION', 'Enter your email address: the reset token is sent by email.', { field: 'identity' })
    const { records } = pocketBaseClient(this.#settings, null)
    const answer = await attempt(() => records.requestPasswordReset(email))
    if (!answer.ok) throw actionError(answer.failure, this.#settings, this.#ctx.clock.now(), { email: 'identity' })
    this.#ctx.logger.info('pocketbase.signin.reset-requested', { host: this.#settings.host })
    return this.#form(resetConfirmForm({ email, host: this.#settings.host }), async (action, values) => {
      if (action === 'back') return back()
      if (action !== 'reset-confirm') return null
      const token = required(values, 'token', 'Paste the token from the reset email.')
      const password = newPassword(values)
      const confirmed = await attempt(() => pocketBaseClient(this.#settings, null).records.confirmPasswordReset(token, password, password))
      if (!confirmed.ok) {
        throw actionError(confirmed.failure, this.#settings, this.#ctx.clock.now(), { token: 'token', password: 'password', passwordConfirm: 'passwordConfirm' })
      }
      this.#ctx.logger.info('pocketbase.signin.password-reset', { host: this.#settings.host })
      // The token names the account whose password changed; sign in as that account.
      return this.#password({ identity: tokenClaim(token, 'email') ?? email, password }, null)
    })
  }

  async #password(values: FormValues, mfa: MfaStep | null): Promise<SignInStart> {
    const identity = text(values, 'identity')
    const password = text(values, 'password', { trim: false })
    const noun = identityLabel(this.#methods.password.identityFields).noun
    if (identity === '') throw new AppError('VALIDATION', `Enter your ${noun}.`, { field: 'identity' })
    if (password === '') throw new AppError('VALIDATION', 'Enter your password.', { field: 'password' })
    const { records } = pocketBaseClient(this.#settings, null)
    const answer = await attempt(() => records.authWithPassword(identity, password, { body: withMfa({ identity, password }, mfa) }))
    return this.#step(answer, { kind: 'password', identityFields: this.#methods.password.identityFields }, mfa, identity)
  }

  async #requestOtp(email: string, emailField: string, mfa: MfaStep | null, back: () => FormSignIn, previous?: OtpSent): Promise<SignInStart> {
    if (!isEmailAddress(email)) {
      throw new AppError('VALIDATION', 'Enter your email address: the code is sent by email.', { field: emailField })
    }
    const { records } = pocketBaseClient(this.#settings, null)
    const answer = await attempt(() => records.requestOTP(email))
    const otpId: unknown = answer.ok ? answer.value.otpId : undefined
    if (!answer.ok) throw signInError(answer.failure, { kind: 'otp-request', emailField }, this.#settings.host, this.#ctx.clock.now(), this.#settings.collection)
    if (typeof otpId !== 'string' || otpId === '') throw new AppError('AUTH_FAILED', `${this.#settings.host} did not send a code.`)
    this.#ctx.logger.info('pocketbase.signin.code-requested', { host: this.#settings.host })
    // The same otpId again: the server sent no new code and the last one keeps its expiry.
    if (previous !== undefined && previous.otpId === otpId) return this.#otpCode({ ...previous, reused: true }, emailField, mfa, back)
    const expiresAt = this.#ctx.clock.now() + this.#otpSeconds() * 1000
    return this.#otpCode({ otpId, email, expiresAt, reused: false }, emailField, mfa, back)
  }

  async #submitOtp(otpId: string, email: string, values: FormValues, mfa: MfaStep | null): Promise<SignInStart> {
    const code = text(values, 'code')
    if (code === '') throw new AppError('VALIDATION', 'Enter the code from the email.', { field: 'code' })
    const { records } = pocketBaseClient(this.#settings, null)
    const answer = await attempt(() => records.authWithOTP(otpId, code, { body: withMfa({ otpId, password: code }, mfa) }))
    return this.#step(answer, { kind: 'otp' }, mfa, email)
  }

  async #oauth2(name: string, mfa: MfaStep | null): Promise<BrowserSignIn> {
    // Fresh auth-methods for every attempt: a new PKCE verifier and challenge each time.
    const methods = await loadAuthMethods(pocketBaseClient(this.#settings, null), this.#settings)
    const provider = methods.oauth2.providers.find((candidate) => candidate.name === name)
    if (provider === undefined) throw new AppError('UNSUPPORTED', `${this.#settings.host} no longer offers sign-in with ${name}.`)
    const method: SignInMethod = { kind: 'oauth2', displayName: provider.displayName }
    const browser = await beginOAuth2SignIn({
      settings: this.#settings,
      provider,
      ctx: this.#ctx,
      timeoutMs: this.#timeoutMs,
      mfaId: mfa?.mfaId ?? null,
      conclude: (answer) => this.#outcome(answer, method, mfa, null),
    })
    return this.#browsers.add(browser)
  }

  /** A sign-in step's answer as the next SignInStart. */
  #step(answer: AuthAnswer, method: SignInMethod, mfa: MfaStep | null, identity: string | null): SignInStart {
    const outcome = this.#outcome(answer, method, mfa, identity)
    return 'kind' in outcome ? outcome : { kind: 'done', signedIn: outcome }
  }

  /** Signed in; or the MFA form (first step done); or back to the start (MFA window passed); or throws. */
  #outcome(answer: AuthAnswer, method: SignInMethod, mfa: MfaStep | null, identity: string | null): SignedIn | FormSignIn {
    const { host, collection } = this.#settings
    const now = this.#ctx.clock.now()
    const methodName = method.kind === 'otp-request' ? 'otp' : method.kind
    if (answer.ok) {
      const signedIn = signedInFrom(answer.value.token, answer.value.record, now, host)
      this.#ctx.logger.info('pocketbase.signin.completed', { host, collection, method: methodName, secondStep: mfa !== null })
      return signedIn
    }
    const failure = answer.failure
    if (failure.kind === 'mfa' && mfa === null) {
      this.#ctx.logger.info('pocketbase.signin.second-step', { host, collection, first: methodName })
      const email = identity !== null && identity.includes('@') ? identity : null
      return this.#mfa({ mfaId: failure.mfaId, first: methodName, expiresAt: now + this.#mfaSeconds() * 1000, identity: email })
    }
    if (mfa !== null && isExpiredMfa(failure)) {
      this.#ctx.logger.info('pocketbase.signin.second-step-expired', { host, collection })
      return this.first(`The ${describeWindow(this.#mfaSeconds())} window for the second step passed. Sign in again.`)
    }
    if (mfa !== null && isOtherAccountsMfa(failure)) {
      const first = mfa.identity === null ? '' : ` (${mfa.identity})`
      throw new AppError('AUTH_FAILED', `The second step must be for the account of the first${first}. Use that account, or start again.`)
    }
    const error = signInError(failure, method, host, now, collection)
    this.#ctx.logger.warn('pocketbase.signin.rejected', { host, collection, method: methodName, code: error.code })
    throw error
  }

  #offer(mfa: MfaStep | null): CredentialOffer {
    const methods = this.#methods
    const first = mfa?.first
    return {
      password: methods.password.enabled && first !== 'password',
      otp: methods.otp.enabled && first !== 'otp',
      oauth2: methods.oauth2.enabled && first !== 'oauth2' ? methods.oauth2.providers : [],
    }
  }

  #mfaSeconds(): number {
    return this.#methods.mfa.durationSeconds || DEFAULT_MFA_SECONDS
  }

  #otpSeconds(): number {
    return this.#methods.otp.durationSeconds || DEFAULT_OTP_SECONDS
  }
}

function withMfa<T extends Record<string, string>>(body: T, mfa: MfaStep | null): T & { mfaId?: string } {
  return mfa === null ? body : { ...body, mfaId: mfa.mfaId }
}

/** Looks like an address a code or reset token can be mailed to; the server has the last word. */
function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value)
}
