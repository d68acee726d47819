/** The forms a Teable sign-in shows; the button ids are what `submit` receives. */
import type { FormSpec } from '../../../shared/contract.ts'

export function passwordRuleProblem(password: string): string | null {
  return /^(?=.*[A-Za-z])(?=.*\d).{8,}$/.test(password) ? null : 'Use at least 8 characters, with at least one letter and one digit.'
}

const NEW_PASSWORD = [
  { key: 'newPassword', label: 'New password', kind: 'new-password' as const, required: true, minLength: 8, help: 'At least 8 characters, with a letter and a digit.' },
  { key: 'confirm', label: 'Repeat the new password', kind: 'new-password' as const, required: true, sameAs: 'newPassword' },
]

export function newPasswordFields(): FormSpec['fields'] {
  return NEW_PASSWORD.map((field) => ({ ...field }))
}

export function signInForm(host: string, options: { hasToken: boolean; email?: string }): FormSpec {
  return {
    id: 'sign-in',
    title: `Sign in to ${host}`,
    description:
      'The browser button needs a Teable server that allows Latchkey’s http://127.0.0.1 redirect (MOBILE_AUTH_REDIRECT_SCHEMES must include http); ' +
      'a server that does not will say so in the browser.',
    fields: [
      { key: 'email', label: 'Email', kind: 'email', required: true, ...(options.email ? { value: options.email } : {}) },
      { key: 'password', label: 'Password', kind: 'password', required: true },
    ],
    actions: [
      { id: 'password', label: 'Sign in', fields: ['email', 'password'] },
      ...(options.hasToken ? [{ id: 'token-only', label: 'Use only the access token', fields: [] }] : []),
      { id: 'browser', label: 'Sign in in your browser', fields: [] },
      { id: 'to-sign-up', label: 'Create an account', fields: [] },
      { id: 'reset-request', label: 'Forgot your password?', fields: ['email'] },
    ],
  }
}

export function signUpForm(host: string, email?: string): FormSpec {
  return {
    id: 'sign-up',
    title: `Create an account on ${host}`,
    fields: [
      { key: 'email', label: 'Email', kind: 'email', required: true, ...(email ? { value: email } : {}) },
      ...newPasswordFields(),
      { key: 'spaceName', label: 'Name of your first space', kind: 'text', required: false },
    ],
    actions: [
      { id: 'sign-up', label: 'Create account' },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

export function signUpCodeForm(email: string, expiresAt: string, resendSeconds: number): FormSpec {
  return {
    id: 'sign-up-code',
    title: 'Enter the code from the email',
    description: `We sent a code to ${email}. You can ask for a new one after ${String(resendSeconds)} seconds.`,
    fields: [{ key: 'code', label: 'Code', kind: 'code', required: true }],
    actions: [
      { id: 'verify', label: 'Create account', fields: ['code'] },
      { id: 'resend', label: 'Send a new code', fields: [] },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
    expiresAt,
  }
}

export function resetForm(email: string, host: string): FormSpec {
  return {
    id: 'reset-confirm',
    title: 'Choose a new password',
    description: `${host} emailed a link to ${email}. Paste the link (or the code at its end) here and choose a new password.`,
    fields: [{ key: 'code', label: 'Link or code from the email', kind: 'code', required: true }, ...newPasswordFields()],
    actions: [
      { id: 'reset', label: 'Set password and sign in' },
      { id: 'back', label: 'Back to sign-in', fields: [] },
    ],
  }
}

/** The code from a pasted reset link (`…/auth/reset-password?code=…`), or the text itself. */
export function resetCodeFrom(text: string): string {
  const trimmed = text.trim()
  const url = URL.parse(trimmed)
  return url?.searchParams.get('code') ?? trimmed
}
