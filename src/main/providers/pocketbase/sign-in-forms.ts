/**
 * The forms a PocketBase sign-in shows, built from the methods the collection has turned on. Only
 * enabled methods appear; the button ids are what `submit` receives:
 *   'password'       sign in with identity + password
 *   'otp-request'    email a one-time code (OTP needs an email address)
 *   'otp'            sign in with the emailed code
 *   'oauth2:<name>'  continue in the browser with one of the server's OAuth2 providers
 *   'back'           leave the code step for the previous form
 *   'reset-request'  email a password reset token (forgotten password)
 *   'reset-confirm'  set a new password with that token, then sign in with it
 */
import { clockTime } from '../../core/iso-time.ts'
import type { FormAction, FormFieldSpec, FormSpec } from '../../../shared/contract.ts'
import type { OAuth2ProviderInfo } from './auth-methods.ts'
import { newPasswordFields } from './new-password-fields.ts'

export const OAUTH2_ACTION_PREFIX = 'oauth2:'

/** What one form offers. */
export interface CredentialOffer {
  password: boolean
  otp: boolean
  oauth2: OAuth2ProviderInfo[]
}

export interface CredentialsFormOptions {
  id: string
  title: string
  description?: string
  offer: CredentialOffer
  identityFields: string[]
  /** Prefills the identity (or email) field. */
  identity?: string
  expiresAt?: number
  /** Offer "Forgot your password?" (a first step only: a second step has already proved the password). */
  offerReset?: boolean
}

/** The form's id when nothing continues a previous step: named after its main method. */
export function firstFormId(offer: CredentialOffer): string {
  if (offer.password) return 'password'
  if (offer.otp) return 'otp-email'
  return 'oauth2'
}

/** The field the email for a code is typed in: the identity field next to a password, else its own. */
export function emailFieldKey(offer: CredentialOffer): 'identity' | 'email' {
  return offer.password ? 'identity' : 'email'
}

export function credentialsForm(options: CredentialsFormOptions): FormSpec {
  const { offer } = options
  const fields: FormFieldSpec[] = []
  const actions: FormAction[] = []
  if (offer.password) {
    const identity = identityLabel(options.identityFields)
    fields.push(
      withValue(
        { key: 'identity', label: identity.label, kind: identity.emailOnly ? 'email' : 'text', required: true },
        options.identity,
      ),
      { key: 'password', label: 'Password', kind: 'password', required: true },
    )
    actions.push({ id: 'password', label: 'Sign in', fields: ['identity', 'password'] })
    if (offer.otp) actions.push({ id: 'otp-request', label: 'Email me a code instead', fields: ['identity'] })
    if (options.offerReset === true) actions.push({ id: 'reset-request', label: 'Forgot your password?', fields: ['identity'] })
  } else if (offer.otp) {
    fields.push(withValue({ key: 'email', label: 'Email', kind: 'email', required: true }, options.identity))
    actions.push({ id: 'otp-request', label: 'Email me a code', fields: ['email'] })
  }
  for (const provider of offer.oauth2) {
    actions.push({ id: `${OAUTH2_ACTION_PREFIX}${provider.name}`, label: `Continue with ${provider.displayName}`, fields: [] })
  }
  return withExpiry({ id: options.id, title: options.title, ...description(options.description), fields, actions }, options.expiresAt)
}

/**
 * The code step. PocketBase answers every request alike (an unknown address gets a made-up otpId),
 * so the form cannot say a code was sent; and after 10 codes still valid it sends none and hands
 * back the newest otpId again (`noNewCode`), until the oldest expires (apis/record_auth_otp_request.go).
 */
export function otpCodeForm(options: {
  email: string
  host: string
  expiresAt: number
  validForSeconds: number
  title: string
  /** The server sent no new code this time; a new one can be asked for after `newCodeAfter`. */
  noNewCode?: boolean
  newCodeAfter: number
}): FormSpec {
  const validFor = options.validForSeconds > 0 ? ` It is valid for ${describeSeconds(options.validForSeconds)}.` : ''
  const text = options.noNewCode
    ? `${options.host} sent no new code: it sends at most 10 that are still valid. Enter the last code it sent to ${options.email}, ` +
      `or ask for a new one after ${clockTime(options.newCodeAfter)}.`
    : `If ${options.email} has an account on ${options.host}, a code is on its way. Enter it here.${validFor} ` +
      `If none arrives, ask for a new one; after 10 requests the server sends no more until ${clockTime(options.newCodeAfter)} at the latest.`
  return withExpiry(
    {
      id: 'otp-code',
      title: options.title,
      description: text,
      fields: [{ key: 'code', label: 'Code', kind: 'code', required: true }],
      actions: [
        { id: 'otp', label: 'Sign in', fields: ['code'] },
        { id: 'otp-request', label: 'Send a new code', fields: [] },
        { id: 'back', label: 'Use another method', fields: [] },
      ],
    },
    options.expiresAt,
  )
}

/** After "Forgot your password?": the token from the email and a new password, then straight to signed in. */
export function resetConfirmForm(options: { email: string; host: string }): FormSpec {
  return {
    id: 'reset-confirm',
    title: 'Choose a new password',
    description: `If ${options.email} has an account on ${options.host}, an email with a reset token is on its way. Paste the token here and choose a new password.`,
    fields: [
      { key: 'token', label: 'Token from the email', kind: 'code', required: true },
      ...newPasswordFields(),
    ],
    actions: [
      { id: 'reset-confirm', label: 'Set password and sign in' },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

/** "Email", "Username", "Email or username" from the collection's identity fields. */
export function identityLabel(identityFields: string[]): { label: string; emailOnly: boolean; noun: string } {
  const names = identityFields.length === 0 ? ['email'] : identityFields
  const noun = names.join(' or ')
  return { label: noun.charAt(0).toUpperCase() + noun.slice(1), emailOnly: names.length === 1 && names[0] === 'email', noun }
}

/** "10 minutes", "3 minutes", "45 seconds". */
export function describeSeconds(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) {
    const minutes = seconds / 60
    return minutes === 1 ? '1 minute' : `${String(minutes)} minutes`
  }
  return seconds === 1 ? '1 second' : `${String(seconds)} seconds`
}

/** "10-minute", "30-minute", "45-second": a time window as an adjective. */
export function describeWindow(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${String(seconds / 60)}-minute` : `${String(seconds)}-second`
}

function withValue(field: FormFieldSpec, value: string | undefined): FormFieldSpec {
  return value === undefined || value === '' ? field : { ...field, value }
}

function description(text: string | undefined): { description?: string } {
  return text === undefined ? {} : { description: text }
}

function withExpiry(form: FormSpec, expiresAt: number | undefined): FormSpec {
  return expiresAt === undefined ? form : { ...form, expiresAt: new Date(expiresAt).toISOString() }
}
