/**
 * The forms of a Synmetrix sign-in. Button ids are what `submit` receives:
 *   'password'      sign in with email + password (an account with MFA then asks for a code)
 *   'magic-link'    ask the server to email a sign-in link (HBP: POST /auth/login with no password)
 *   'register-form' go to "Create an account";  'register'  create it
 *   'paste-form'    go to "Use a link from an email";  'use-link'  sign in with a pasted link or token
 *   'mfa'           the authenticator code;  'back'  return to the first form
 *   'reset-request' email a lost-password ticket (where the server has it on);  'reset-confirm'  set the password with it
 */
import type { FormSpec } from '../../../shared/contract.ts'
import { newPasswordPair } from '../new-password-pair.ts'

/** Synmetrix's MIN_PASSWORD_LENGTH; a server that asks for more says so when the password is sent. */
export const MIN_PASSWORD_LENGTH = 6
/** HBP's MFA ticket lives 60 minutes. */
export const MFA_TICKET_MS = 60 * 60 * 1000

const BACK = { id: 'back', label: 'Back', fields: [] }

export function firstForm(host: string, email?: string, notice?: string): FormSpec {
  return {
    id: 'password',
    title: `Sign in to ${host}`,
    ...(notice === undefined ? {} : { description: notice }),
    fields: [
      { key: 'email', label: 'Email', kind: 'email', required: true, ...(email === undefined ? {} : { value: email }) },
      { key: 'password', label: 'Password', kind: 'password', required: true },
    ],
    actions: [
      { id: 'password', label: 'Sign in', fields: ['email', 'password'] },
      { id: 'magic-link', label: 'Email me a sign-in link', fields: ['email'] },
      { id: 'register-form', label: 'Create an account', fields: [] },
      { id: 'paste-form', label: 'I have a link from an email', fields: [] },
      { id: 'reset-request', label: 'Forgot your password?', fields: ['email'] },
    ],
  }
}

export function resetForm(host: string, email: string): FormSpec {
  return {
    id: 'reset-confirm',
    title: 'Choose a new password',
    description: `If ${email} has an active account on ${host}, an email with a reset ticket is on its way. Paste the ticket (or the link) here and choose a new password.`,
    fields: [
      { key: 'ticket', label: 'Ticket from the email', kind: 'code', required: true },
      ...newPasswordPair(MIN_PASSWORD_LENGTH),
    ],
    actions: [{ id: 'reset-confirm', label: 'Set password and sign in' }, BACK],
  }
}

export function mfaForm(host: string, expiresAt: number): FormSpec {
  return {
    id: 'mfa-code',
    title: 'Authenticator code',
    description: `${host} asks for the 6-digit code from your authenticator app. This step ends in 60 minutes.`,
    fields: [{ key: 'code', label: 'Code', kind: 'code', required: true, placeholder: '123456' }],
    actions: [{ id: 'mfa', label: 'Sign in', fields: ['code'] }, BACK],
    expiresAt: new Date(expiresAt).toISOString(),
  }
}

export function registerForm(host: string, email?: string): FormSpec {
  return {
    id: 'register',
    title: `Create an account on ${host}`,
    fields: [
      { key: 'email', label: 'Email', kind: 'email', required: true, ...(email === undefined ? {} : { value: email }) },
      { key: 'password', label: 'Password', kind: 'new-password', required: true, minLength: MIN_PASSWORD_LENGTH },
      { key: 'passwordConfirm', label: 'Repeat the password', kind: 'new-password', required: true, sameAs: 'password' },
    ],
    actions: [{ id: 'register', label: 'Create account' }, BACK],
  }
}

/** Where a pasted link or token comes from, which decides what it is. */
export type PasteContext = { kind: 'magic-link'; email: string; returnsTo?: string } | { kind: 'activation'; email: string } | { kind: 'any' }

export function pasteForm(host: string, context: PasteContext): FormSpec {
  const description =
    context.kind === 'magic-link'
      ? context.returnsTo !== undefined
        ? `${host} emailed a sign-in link to ${context.email} (if it has an account there). Open it in a browser on this computer: ` +
          `${host} sends the browser back to Latchkey (${context.returnsTo}), then press “I opened the link”. Or paste the link, or the token in it, here. The link works once.`
        : `${host} emailed a sign-in link to ${context.email} (if it has an account there). Paste the link, or the token in it, here. The link works once.`
      : context.kind === 'activation'
        ? `${host} created the account and emailed an activation link to ${context.email}. Paste the link, or the ticket in it, here to activate the account and sign in.`
        : `Paste a sign-in or activation link from an email from ${host}, or the token in it.`
  return {
    id: 'paste-link',
    title: context.kind === 'activation' ? 'Check your email' : 'Use a link from an email',
    description,
    fields: [{ key: 'link', label: 'Link or token from the email', kind: 'code', required: true }],
    actions: [
      ...(context.kind === 'magic-link' && context.returnsTo !== undefined ? [{ id: 'link-opened', label: 'I opened the link', fields: [] }] : []),
      { id: 'use-link', label: 'Sign in', fields: ['link'] },
      ...(context.kind === 'magic-link' ? [{ id: 'magic-link', label: 'Send another link', fields: [] }] : []),
      BACK,
    ],
  }
}
