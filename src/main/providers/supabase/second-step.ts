/**
 * The second step of a Supabase sign-in (aal1 → aal2) with any verified factor the server can check
 * here: an authenticator app (TOTP: challenge and verify in one go) or a phone (the challenge texts a
 * code, internal/api/mfa.go challengePhoneFactor; the code then verifies that challenge). A
 * phone-only account gets its text as soon as the step opens; with an authenticator too, the text is
 * sent when asked for.
 */
import type { Factor, Session as AuthSession } from '@supabase/auth-js'
import type { FormSpec, FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { text } from '../form-values.ts'
import type { SupabaseClient } from './client.ts'
import type { SupabaseSettings } from './config.ts'
import { mfaForm } from './sign-in-forms.ts'
import type { SecondFactor } from './sign-in-forms.ts'

type Handler = (action: string, values: FormValues) => Promise<SignInStart | null>

export interface SecondStepHooks {
  form(spec: FormSpec, handle: Handler): FormSignIn
  fail(error: unknown, fields?: Readonly<Record<string, string>>): AppError
  back(): Promise<SignInStart>
  done(stepped: AuthSession): SignInStart
}

/** The user's verified factors this step can use, authenticator apps first. */
export function secondFactors(factors: readonly Factor[]): (SecondFactor & { phone: string })[] {
  const verified = factors.filter((factor) => factor.status === 'verified' && (factor.factor_type === 'totp' || factor.factor_type === 'phone'))
  const ordered = [...verified.filter((factor) => factor.factor_type === 'totp'), ...verified.filter((factor) => factor.factor_type === 'phone')]
  return ordered.map((factor, index) => {
    const phone = factor.factor_type === 'phone' ? `+${((factor as { phone?: string }).phone ?? '').replace(/^\+/, '')}` : ''
    const kind = factor.factor_type === 'phone' ? 'phone' : 'totp'
    const fallback = kind === 'phone' ? `Text message to ${phone}` : `Authenticator ${String(index + 1)}`
    const named = factor.friendly_name ?? ''
    const name = named === '' ? fallback : kind === 'phone' && !named.includes(phone) ? `${named} (text to ${phone})` : named
    return { id: factor.id, name, kind, phone }
  })
}

export class SecondStep {
  readonly #settings: SupabaseSettings
  readonly #ctx: ProviderContext
  readonly #aal1: SignedIn
  readonly #client: SupabaseClient
  readonly #factors: (SecondFactor & { phone: string })[]
  readonly #hooks: SecondStepHooks
  /** factor id → the challenge whose code was texted. */
  readonly #texted = new Map<string, string>()

  constructor(settings: SupabaseSettings, ctx: ProviderContext, aal1: SignedIn, client: SupabaseClient, factors: (SecondFactor & { phone: string })[], hooks: SecondStepHooks) {
    this.#settings = settings
    this.#ctx = ctx
    this.#aal1 = aal1
    this.#client = client
    this.#factors = factors
    this.#hooks = hooks
  }

  async start(): Promise<SignInStart> {
    const first = this.#factors[0]
    if (first === undefined || this.#factors.some((factor) => factor.kind === 'totp')) return this.#step()
    try {
      return await this.#text(first)
    } catch (error) {
      // A text sent less than a minute ago (an enrolment, another sign-in) holds the next one back:
      // the step still opens, and says when “Text me a code” works again.
      if (error instanceof AppError && error.code === 'RATE_LIMITED') return this.#step(undefined, error.message)
      throw error
    }
  }

  #step(textedTo?: string, notice?: string): FormSignIn {
    const spec = mfaForm({ host: this.#settings.host, factors: this.#factors, ...(textedTo === undefined ? {} : { textedTo }), ...(notice === undefined ? {} : { notice }) })
    return this.#hooks.form(spec, async (action, values) => {
      if (action === 'back') return this.#hooks.back()
      if (action === 'send-code') {
        const factor = this.#chosen(values)
        if (factor.kind !== 'phone') throw new AppError('VALIDATION', 'Choose a phone to text the code to.', { field: 'factor' })
        return this.#text(factor)
      }
      if (action !== 'mfa') return null
      return this.#verify(this.#chosen(values), text(values, 'code'))
    })
  }

  #chosen(values: FormValues): SecondFactor & { phone: string } {
    const id = text(values, 'factor')
    const factor = this.#factors.find((candidate) => candidate.id === id) ?? this.#factors[0]
    if (factor === undefined) throw new AppError('AUTH_FAILED', 'This account has no second factor Latchkey can use.')
    return factor
  }

  async #text(factor: SecondFactor & { phone: string }): Promise<SignInStart> {
    const { data, error } = await this.#client.auth.mfa.challenge({ factorId: factor.id, channel: 'sms' })
    if (error !== null) throw this.#hooks.fail(error)
    this.#texted.set(factor.id, data.id)
    this.#ctx.logger.info('supabase.signin.mfa-texted', { host: this.#settings.host })
    return this.#step(factor.phone)
  }

  async #verify(factor: SecondFactor & { phone: string }, code: string): Promise<SignInStart> {
    const fields = { mfa_verification_failed: 'code', mfa_challenge_expired: 'code', otp_expired: 'code' }
    let error: unknown
    if (factor.kind === 'totp') {
      if (!/^\d{6}$/.test(code)) throw new AppError('VALIDATION', 'Enter the 6-digit code from your authenticator app.', { field: 'code' })
      ;({ error } = await this.#client.auth.mfa.challengeAndVerify({ factorId: factor.id, code }))
    } else {
      const challengeId = this.#texted.get(factor.id)
      if (challengeId === undefined) throw new AppError('VALIDATION', 'Press “Text me a code” first, then enter the code from the text message.', { field: 'code' })
      if (!/^\d{6,10}$/.test(code)) throw new AppError('VALIDATION', 'Enter the code from the text message (digits only).', { field: 'code' })
      ;({ error } = await this.#client.auth.mfa.verify({ factorId: factor.id, challengeId, code }))
    }
    const stepped = this.#client.savedSession()
    if (error !== null || stepped === null || stepped.access_token === this.#aal1.session.accessToken) throw this.#hooks.fail(error, fields)
    return this.#hooks.done(stepped)
  }
}
