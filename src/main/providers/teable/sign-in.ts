/**
 * A Teable sign-in as forms: email + password, or a new account with the emailed code (the server
 * answers 422 with a token and mails the code), or "Forgot your password?" (a link by email, then a
 * new password and straight to signed in), or the browser (mobile PKCE flow), or — with a pasted
 * personal access token — the token alone.
 */
import type { FormValues } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { FormSignIn, ProviderContext, SignInStart } from '../../core/provider.ts'
import type { SignedIn } from '../../core/sessions/session.ts'
import { beginBrowserSignIn } from './browser.ts'
import { teableCall } from './client.ts'
import type { TeableSettings } from './config.ts'
import { checkToken, credentialView, tokenSession } from './credentials.ts'
import { failure, mailWait, problemOf, sentence } from './errors.ts'
import { humanCheckError } from './human-check.ts'
import { passwordSignIn, signedInFrom } from './session-start.ts'
import { passwordRuleProblem, resetCodeFrom, resetForm, signInForm, signUpCodeForm, signUpForm } from './sign-in-forms.ts'
import { identityOf, userFrom } from './user.ts'

/** BACKEND_SIGNUP_VERIFICATION_CODE_RATE_LIMIT_SECONDS's default, said on the code form. */
const RESEND_SECONDS = 30

export interface SignInOptions {
  timeoutMs: number
}

export function beginTeableSignIn(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions): Promise<SignInStart> {
  return Promise.resolve(signInStep(settings, ctx, options))
}

function text(values: FormValues, key: string): string {
  const value = values[key]
  return typeof value === 'string' ? value : ''
}

function step(form: FormSignIn['form'], submit: FormSignIn['submit'], cancel: () => void = () => undefined): FormSignIn {
  return { kind: 'form', form, submit, cancel }
}

const done = (signedIn: SignedIn): SignInStart => ({ kind: 'done', signedIn })

function signInStep(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, email?: string): FormSignIn {
  return step(signInForm(settings.host, { hasToken: settings.token !== null, ...(email ? { email } : {}) }), async (action, values) => {
    switch (action) {
      case 'password':
        return done(await passwordSignIn(settings, text(values, 'email'), text(values, 'password'), ctx))
      case 'token-only':
        return done(await tokenOnly(settings, ctx))
      case 'browser':
        return beginBrowserSignIn(settings, ctx, options.timeoutMs)
      case 'to-sign-up':
        return signUpStep(settings, ctx, options, text(values, 'email'))
      case 'reset-request':
        return requestReset(settings, ctx, options, text(values, 'email'))
      default:
        throw new AppError('VALIDATION', 'This form has no such button.')
    }
  })
}

/** A token-only account: the token is the credential; Latchkey checks the server still takes it. */
async function tokenOnly(settings: TeableSettings, ctx: ProviderContext): Promise<SignedIn> {
  const token = settings.token
  if (token === null) throw new AppError('VALIDATION', 'This account has no access token. Paste one when adding the account.')
  const result = await teableCall(settings, { method: 'GET', path: '/auth/user', credential: { bearer: token } })
  if (result.ok && result.answer.status === 200) {
    const user = userFrom(result.answer.body)
    if (user === null) throw new AppError('AUTH_FAILED', `${settings.host} did not say whose token this is.`)
    return { session: tokenSession(token, null, [], ctx.clock.now()), identity: identityOf(user), ...(await credentialView(settings, user, null, ctx)) }
  }
  if (result.ok && (result.answer.status === 401 || result.answer.status === 403 || result.answer.status === 500) && (await checkToken(settings, token)) === 'refused') {
    throw new AppError('AUTH_FAILED', `${settings.host} does not accept this access token: it expired, was deleted, or was not copied whole.`)
  }
  throw failure(settings, result, ctx.clock, 'checking the access token')
}

function signUpStep(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, email: string): FormSignIn {
  return step(signUpForm(settings.host, email), async (action, values) => {
    if (action === 'back') return signInStep(settings, ctx, options, text(values, 'email'))
    if (action !== 'sign-up') throw new AppError('VALIDATION', 'This form has no such button.')
    // Lower-cased as Teable's sign-up does: its code check compares the address the code was sent to
    // exactly, and the "send a new code" route keeps capitals as typed.
    const address = text(values, 'email').trim().toLowerCase()
    const password = text(values, 'newPassword')
    const problem = passwordRuleProblem(password)
    if (problem !== null) throw new AppError('VALIDATION', problem, { field: 'newPassword' })
    const spaceName = text(values, 'spaceName').trim()
    const body = { email: address, password, ...(spaceName === '' ? {} : { defaultSpaceName: spaceName }) }
    return signUp(settings, ctx, options, body, undefined)
  })
}

async function signUp(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, body: { email: string; password: string }, verification: { code: string; token: string } | undefined): Promise<SignInStart> {
  const result = await teableCall(settings, { method: 'POST', path: '/auth/signup', json: { ...body, ...(verification ? { verification } : {}) } })
  if (result.ok && (result.answer.status === 201 || result.answer.status === 200)) return done(await signedInFrom(settings, result.answer, ctx))
  if (result.ok && result.answer.status === 422) {
    const data = problemOf(result.answer).data
    if (typeof data.token !== 'string') throw new AppError('AUTH_FAILED', `${settings.host} asked for a code but sent no way to check it.`)
    return codeStep(settings, ctx, options, body, data.token, typeof data.expiresTime === 'string' ? data.expiresTime : new Date(ctx.clock.now() + 30 * 60_000).toISOString())
  }
  if (result.ok && result.answer.status === 409) throw new AppError('VALIDATION', `${body.email} already has an account on ${settings.host}. Go back and sign in.`, { field: 'email' })
  if (result.ok && result.answer.status === 400 && problemOf(result.answer).code === 'invalid_captcha') {
    throw new AppError('VALIDATION', 'That code is not right, or it has expired. Check the latest email, or ask for a new code.', { field: 'code' })
  }
  throw waitOrFailure(settings, result, ctx, 'creating the account')
}

function codeStep(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, body: { email: string; password: string }, token: string, expiresAt: string): FormSignIn {
  return step(signUpCodeForm(body.email, expiresAt, RESEND_SECONDS), async (action, values) => {
    if (action === 'back') return signInStep(settings, ctx, options, body.email)
    if (action === 'verify') return signUp(settings, ctx, options, body, { code: text(values, 'code').trim(), token })
    if (action !== 'resend') throw new AppError('VALIDATION', 'This form has no such button.')
    const result = await teableCall(settings, { method: 'POST', path: '/auth/send-signup-verification-code', json: { email: body.email } })
    if (result.ok && result.answer.status === 200) {
      const sent = result.answer.body as { token?: unknown; expiresTime?: unknown } | null
      if (typeof sent?.token !== 'string') throw new AppError('AUTH_FAILED', `${settings.host} sent no way to check the new code.`)
      return codeStep(settings, ctx, options, body, sent.token, typeof sent.expiresTime === 'string' ? sent.expiresTime : expiresAt)
    }
    throw waitOrFailure(settings, result, ctx, 'sending a new code')
  })
}

/** Older servers' "Please wait N seconds…" 400 (the resend interval) becomes the time a new code may be asked for. */
function waitOrFailure(settings: TeableSettings, result: Awaited<ReturnType<typeof teableCall>>, ctx: ProviderContext, doing: string): AppError {
  if (result.ok && result.answer.status === 400) {
    const wait = /wait (\d+) seconds?/i.exec(problemOf(result.answer).message)
    if (wait?.[1] !== undefined) return mailWait(settings, Number(wait[1]), ctx.clock)
    if (/turnstile/i.test(problemOf(result.answer).message)) return humanCheckError(settings)
    const message = sentence(problemOf(result.answer).message)
    if (message !== '') return new AppError('VALIDATION', message)
  }
  return failure(settings, result, ctx.clock, doing)
}

async function requestReset(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, email: string): Promise<SignInStart> {
  const address = email.trim()
  if (address === '') throw new AppError('VALIDATION', 'Enter your email first.', { field: 'email' })
  const result = await teableCall(settings, { method: 'POST', path: '/auth/send-reset-password-email', json: { email: address } })
  if (result.ok && (result.answer.status === 201 || result.answer.status === 200)) return resetStep(settings, ctx, options, address)
  if (result.ok && result.answer.status === 400) throw new AppError('VALIDATION', `${settings.host} has no account for ${address}.`, { field: 'email' })
  throw failure(settings, result, ctx.clock, 'sending the reset email')
}

function resetStep(settings: TeableSettings, ctx: ProviderContext, options: SignInOptions, email: string): FormSignIn {
  return step(resetForm(email, settings.host), async (action, values) => {
    if (action === 'back') return signInStep(settings, ctx, options, email)
    if (action !== 'reset') throw new AppError('VALIDATION', 'This form has no such button.')
    const password = text(values, 'newPassword')
    const problem = passwordRuleProblem(password)
    if (problem !== null) throw new AppError('VALIDATION', problem, { field: 'newPassword' })
    const result = await teableCall(settings, { method: 'POST', path: '/auth/reset-password', json: { password, code: resetCodeFrom(text(values, 'code')) } })
    if (result.ok && (result.answer.status === 201 || result.answer.status === 200)) return done(await passwordSignIn(settings, email, password, ctx))
    if (result.ok && result.answer.status === 400 && /token/i.test(problemOf(result.answer).message)) {
      throw new AppError('VALIDATION', 'That link or code is not valid any more (it works once, for 30 minutes). Go back and ask for a new email.', { field: 'code' })
    }
    throw waitOrFailure(settings, result, ctx, 'setting the new password')
  })
}
