/** The forms of an Authing sign-in: account + password, a code by text or email, the second factor, registration and reset. */
import type { FormAction, FormFieldSpec, FormSpec } from '../../../shared/contract.ts'
import { clockTime } from '../../core/iso-time.ts'
import { capitalised, describeKinds } from './identifiers.ts'
import type { AccountKind } from './identifiers.ts'

/** Authing's smallest password rule; the pool's own rule is checked by the server and shown when it refuses. */
export const MIN_PASSWORD_LENGTH = 6

export interface FirstOffer {
  password: AccountKind[]
  codes: ('phone' | 'email')[]
  register: boolean
  browser: boolean
}

export function newPasswordFields(required: boolean, label = 'New password'): FormFieldSpec[] {
  return [
    { key: 'password', label, kind: 'new-password', required, minLength: MIN_PASSWORD_LENGTH },
    { key: 'passwordConfirm', label: 'Repeat the password', kind: 'new-password', required, sameAs: 'password' },
  ]
}

export function firstForm(options: { host: string; offer: FirstOffer; notice?: string; account?: string; redirect: string | null }): FormSpec {
  const { offer } = options
  const fields: FormFieldSpec[] = []
  const actions: FormAction[] = []
  if (offer.password.length > 0) {
    const onlyEmail = offer.password.length === 1 && offer.password[0] === 'email'
    fields.push(withValue({ key: 'account', label: capitalised(describeKinds(offer.password)), kind: onlyEmail ? 'email' : 'text', required: true }, options.account))
    fields.push({ key: 'password', label: 'Password', kind: 'password', required: true })
    actions.push({ id: 'password', label: 'Sign in', fields: ['account', 'password'] })
  }
  if (offer.codes.length > 0) actions.push({ id: 'code', label: offer.password.length > 0 ? 'Sign in with a code instead' : `Sign in with a code by ${codeChannels(offer.codes)}`, fields: [] })
  if (offer.browser) actions.push({ id: 'browser', label: 'Sign in with browser', fields: [] })
  if (offer.register) actions.push({ id: 'register', label: 'Create an account', fields: [] })
  if (offer.password.length > 0) actions.push({ id: 'reset', label: 'Forgot your password?', fields: [] })
  const notes = [options.notice, offer.browser && options.redirect !== null ? `Browser sign-in returns to ${options.redirect}, which must be registered exactly (port included) as a login callback URL of the app.` : undefined]
  const description = notes.filter((note) => note !== undefined).join(' ')
  return { id: 'sign-in', title: `Sign in to ${options.host}`, ...(description === '' ? {} : { description }), fields, actions }
}

export function codeRequestForm(options: { codes: ('phone' | 'email')[]; title: string; target?: string }): FormSpec {
  const label = options.codes.length === 2 ? 'Phone number or email' : options.codes[0] === 'email' ? 'Email' : 'Phone number'
  return {
    id: 'code-request',
    title: options.title,
    description: `We send a one-time code by ${codeChannels(options.codes)}.`,
    fields: [withValue({ key: 'target', label, kind: options.codes.length === 1 && options.codes[0] === 'email' ? 'email' : 'text', required: true }, options.target)],
    actions: [
      { id: 'code-request', label: 'Send code', fields: ['target'] },
      { id: 'back', label: 'Back', fields: [] },
    ],
  }
}

/** The code entry: where it went, how long it lives, and when a new one can be sent. */
export function codeEntryForm(options: { id: string; title: string; target: string; resendAt: number; expiresAt: number; action: { id: string; label: string }; extra?: FormFieldSpec[] }): FormSpec {
  return {
    id: options.id,
    title: options.title,
    description: `We sent a code to ${options.target}. Enter it here. A new code can be sent after ${clockTime(options.resendAt)}.`,
    fields: [{ key: 'code', label: 'Code', kind: 'code', required: true }, ...(options.extra ?? [])],
    actions: [
      { id: options.action.id, label: options.action.label },
      { id: 'code-resend', label: 'Send a new code', fields: [] },
      { id: 'back', label: 'Back', fields: [] },
    ],
    expiresAt: new Date(options.expiresAt).toISOString(),
  }
}

export function mfaForm(host: string): FormSpec {
  return {
    id: 'mfa',
    title: 'Second step required',
    description: `${host} asks for the 6-digit code from your authenticator app.`,
    fields: [{ key: 'code', label: 'Authenticator code', kind: 'code', required: true }],
    actions: [
      { id: 'mfa', label: 'Verify', fields: ['code'] },
      { id: 'mfa-recovery', label: 'Use a recovery code', fields: [] },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

/**
 * A new password the app asks for before it lets the person in: the first one after an
 * administrator made the account (1639), a replacement for one the pool now calls unsafe (2071), or
 * for one too old (2058, with the current one).
 */
export function requiredPasswordForm(options: { host: string; kind: 'first' | 'unsafe' | 'rotate' }): FormSpec {
  const first = options.kind !== 'rotate'
  const id = first ? 'first-password' : 'rotate-password'
  const why = {
    first: `${options.host} asks you to choose your own password before the first sign-in.`,
    unsafe: `${options.host} says your password is not safe enough any more. Choose a new one to sign in.`,
    rotate: `${options.host} says your password is due to be replaced. Enter it once more, then choose a new one.`,
  }
  return {
    id,
    title: 'Choose a new password',
    description: why[options.kind],
    fields: [...(first ? [] : [{ key: 'oldPassword', label: 'Current password', kind: 'password' as const, required: true }]), ...newPasswordFields(true)],
    actions: [
      { id, label: 'Set password and sign in' },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

/** The authenticator's recovery code instead of its code (lost phone). */
export function recoveryForm(host: string): FormSpec {
  return {
    id: 'mfa-recovery',
    title: 'Use a recovery code',
    description: `The recovery code ${host} gave when the authenticator app was set up. It works once; without it, ask the app’s administrator.`,
    fields: [{ key: 'recoveryCode', label: 'Recovery code', kind: 'text', required: true }],
    actions: [
      { id: 'mfa-recovery', label: 'Sign in' },
      { id: 'back', label: 'Back', fields: [] },
    ],
  }
}

/**
 * The app's own second step (1636): the authenticator code when the account has one, or a code
 * sent to the account's phone number or email address, as the app allows.
 */
export function appMfaForm(options: { host: string; totp: boolean; phone: string | null; email: string | null }): FormSpec {
  const actions: FormAction[] = []
  if (options.totp) actions.push({ id: 'mfa', label: 'Verify', fields: ['code'] }, { id: 'mfa-recovery', label: 'Use a recovery code', fields: [] })
  if (options.phone !== null) actions.push({ id: 'mfa-sms', label: `Text a code to ${options.phone}`, fields: [] })
  if (options.email !== null) actions.push({ id: 'mfa-email', label: `Email a code to ${options.email}`, fields: [] })
  actions.push({ id: 'back', label: 'Back to sign-in', fields: [] })
  const ways = [options.totp ? 'the 6-digit code from your authenticator app' : null, options.phone !== null || options.email !== null ? 'a code we send you' : null]
  return {
    id: 'mfa',
    title: 'Second step required',
    description: `${options.host} asks every sign-in for a second step: ${ways.filter((way) => way !== null).join(', or ')}.`,
    fields: options.totp ? [{ key: 'code', label: 'Authenticator code', kind: 'code', required: true }] : [],
    actions,
  }
}

export function registerForm(options: { kinds: AccountKind[]; host: string }): FormSpec {
  const phone = options.kinds.includes('phone')
  return {
    id: 'register',
    title: `Create an account on ${options.host}`,
    description: phone ? 'With a phone number we text you a code first; the password is then optional.' : 'Choose your password.',
    fields: [{ key: 'account', label: capitalised(describeKinds(options.kinds)), kind: 'text', required: true }, ...newPasswordFields(!phone, 'Password')],
    actions: [
      { id: 'register', label: 'Create account' },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

export function resetRequestForm(options: { kinds: ('phone' | 'email')[]; account?: string }): FormSpec {
  return {
    id: 'reset',
    title: 'Reset your password',
    description: `We send a code by ${codeChannels(options.kinds)}; then you choose a new password.`,
    fields: [withValue({ key: 'target', label: options.kinds.length === 2 ? 'Email or phone number' : options.kinds[0] === 'phone' ? 'Phone number' : 'Email', kind: 'text', required: true }, options.account)],
    actions: [
      { id: 'reset-request', label: 'Send code', fields: ['target'] },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

function codeChannels(codes: ('phone' | 'email')[]): string {
  return codes.map((code) => (code === 'phone' ? 'text message' : 'email')).join(' or ')
}

function withValue(field: FormFieldSpec, value: string | undefined): FormFieldSpec {
  return value === undefined || value === '' ? field : { ...field, value }
}
