/**
 * The forms a Supabase sign-in shows, built from the methods the project has turned on (/settings).
 * Button ids are what `submit` receives:
 *   'password'       sign in with email or phone + password
 *   'code-request'   send a one-time code (email, or a text message to a phone number)
 *   'link-request'   email a sign-in link that opens on this computer (and a code)
 *   'oauth:<name>'   continue in the browser with one of the project's OAuth providers
 *   'anonymous'      sign in without an account
 *   'sign-up'        create an account with email or phone + password
 *   'reset-request'  email a code and a link to choose a new password
 *   'code' / 'link' / 'resend' / 'back' on the code step; 'mfa' and 'send-code' (a phone factor's text) on the second-factor step;
 *   'reset-confirm' (with the code) or 'reset-link' (the link opened on this computer) on the new-password step
 */
import type { FormAction, FormFieldSpec, FormSpec } from '../../../shared/contract.ts'
import { AppError } from '../../core/errors.ts'
import type { ServerSettings } from './server-settings.ts'
import { providerDisplayName } from './server-settings.ts'
import { choiceField } from '../choice-field.ts'
import { newPasswordPair } from '../new-password-pair.ts'

export const OAUTH_ACTION_PREFIX = 'oauth:'

/** What passes for an email address before the server's own check: something, an @, something, no spaces. */
export const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/

/** A phone number as Supabase Auth takes it (E.164, validatePhone in phone.go): a country code that does not start with 0, at most 15 digits. */
export const PHONE_SHAPE = /^\+?[1-9]\d{1,14}$/

/** GoTrue's default minimum (GOTRUE_PASSWORD_MIN_LENGTH); a project asking for more says so. */
export const MIN_PASSWORD_LENGTH = 6

/** MaxPasswordLength (internal/api/password.go): the server counts bytes (bcrypt's limit) and refuses longer ones with a bare validation_failed. */
export const MAX_PASSWORD_BYTES = 72

/** A new password the server will take as to length, else the error on its field. */
export function checkNewPasswordLength(password: string, field = 'password'): string {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new AppError('VALIDATION', `The password is too long: at most ${String(MAX_PASSWORD_BYTES)} bytes (72 letters or digits; fewer with accents or emoji).`, { field })
  }
  return password
}

export function newPasswordFields(): FormFieldSpec[] {
  return newPasswordPair(MIN_PASSWORD_LENGTH)
}

export function identityLabel(server: ServerSettings): string {
  if (server.email && server.phone) return 'Email or phone number'
  return server.phone ? 'Phone number' : 'Email'
}

export function firstForm(options: { host: string; server: ServerSettings; notice?: string; identity?: string }): FormSpec {
  const { server } = options
  const fields: FormFieldSpec[] = []
  const actions: FormAction[] = []
  if (server.email || server.phone) {
    fields.push({
      key: 'identity',
      label: identityLabel(server),
      kind: server.phone ? 'text' : 'email',
      required: true,
      ...(options.identity === undefined ? {} : { value: options.identity }),
      ...(server.phone ? { help: 'A phone number starts with + and the country code.' } : {}),
    })
    fields.push({ key: 'password', label: 'Password', kind: 'password', required: false })
    actions.push({ id: 'password', label: 'Sign in', fields: ['identity', 'password'] })
    actions.push({ id: 'code-request', label: server.phone && server.email ? 'Send me a code' : server.phone ? 'Text me a code' : 'Email me a code', fields: ['identity'] })
    if (server.email) actions.push({ id: 'link-request', label: 'Email me a sign-in link', fields: ['identity'] })
  }
  for (const name of server.oauth) actions.push({ id: `${OAUTH_ACTION_PREFIX}${name}`, label: `Continue with ${providerDisplayName(name)}`, fields: [] })
  if (server.anonymous) actions.push({ id: 'anonymous', label: 'Continue without an account', fields: [] })
  if (server.signup && (server.email || server.phone)) actions.push({ id: 'sign-up', label: 'Create an account', fields: ['identity', 'password'] })
  if (server.email) actions.push({ id: 'reset-request', label: 'Forgot your password?', fields: ['identity'] })
  return {
    id: 'sign-in',
    title: `Sign in to ${options.host}`,
    ...(options.notice === undefined ? {} : { description: options.notice }),
    fields,
    actions,
  }
}

export function codeForm(options: { id: string; title: string; description: string; link: boolean; resend: boolean; expiresAt?: number }): FormSpec {
  const actions: FormAction[] = [{ id: 'code', label: 'Sign in', fields: ['code'] }]
  if (options.link) actions.push({ id: 'link', label: 'I opened the link', fields: [] })
  if (options.resend) actions.push({ id: 'resend', label: 'Send a new code', fields: [] })
  actions.push({ id: 'back', label: 'Use another method', fields: [] })
  return {
    id: options.id,
    title: options.title,
    description: options.description,
    fields: [{ key: 'code', label: 'Code', kind: 'code', required: !options.link }],
    actions,
    ...(options.expiresAt === undefined ? {} : { expiresAt: new Date(options.expiresAt).toISOString() }),
  }
}

/** A verified second factor the sign-in can ask for: an authenticator app (TOTP) or a phone that gets a text. */
export interface SecondFactor {
  id: string
  name: string
  kind: 'totp' | 'phone'
}

export function mfaForm(options: { host: string; factors: SecondFactor[]; textedTo?: string; notice?: string }): FormSpec {
  const fields: FormFieldSpec[] = []
  if (options.factors.length > 1) {
    fields.push(choiceField('factor', 'Second factor', options.factors.map((factor) => ({ value: factor.id, label: factor.name }))))
  }
  const apps = options.factors.some((factor) => factor.kind === 'totp')
  const phones = options.factors.some((factor) => factor.kind === 'phone')
  const label = apps && phones ? 'Code from your authenticator app or text message' : phones ? 'Code from the text message' : 'Code from your authenticator app'
  fields.push({ key: 'code', label, kind: 'code', required: true })
  const asked = options.textedTo !== undefined
    ? `${options.host} asks for a second step: a code was texted to ${options.textedTo}.`
    : phones && apps
      ? `${options.host} asks for a second step: the 6-digit code from your authenticator app, or a code by text message (press “Text me a code”).`
      : phones
        ? `${options.host} asks for a second step: press “Text me a code”, then enter the code.`
        : `${options.host} asks for the 6-digit code from your authenticator app.`
  return {
    id: 'mfa',
    title: 'Second step required',
    description: options.notice === undefined ? asked : `${asked} ${options.notice}`,
    fields,
    actions: [
      { id: 'mfa', label: 'Verify', fields: fields.map((field) => field.key) },
      ...(phones ? [{ id: 'send-code', label: options.textedTo === undefined ? 'Text me a code' : 'Text me a new code', fields: options.factors.length > 1 ? ['factor'] : [] }] : []),
      { id: 'back', label: 'Cancel', fields: [] },
    ],
  }
}

export function resetForm(options: { email: string; host: string; expiresAt: number }): FormSpec {
  const passwords = newPasswordFields()
  return {
    id: 'reset-confirm',
    title: 'Choose a new password',
    description: `If ${options.email} has an account on ${options.host}, an email with a code and a link is on its way. Choose a new password, then enter the code, or open the link in a browser on this computer and press “I opened the link”.`,
    fields: [...passwords, { key: 'code', label: 'Code from the email', kind: 'code', required: false }],
    actions: [
      { id: 'reset-confirm', label: 'Set password and sign in' },
      { id: 'reset-link', label: 'I opened the link', fields: passwords.map((field) => field.key) },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
    expiresAt: new Date(options.expiresAt).toISOString(),
  }
}
