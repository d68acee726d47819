/** The emails HBP's routes send, with the token or ticket the template carries (and its x-token / x-ticket header). */
import type { App } from '../app.ts'
import type { OutboxMessage } from '../types.ts'

export function magicLinkMail(app: App, to: string, token: string, action: 'log-in' | 'register'): OutboxMessage {
  const link = `${app.url}/auth/magic-link?action=${action}&token=${token}`
  return { to, kind: 'magic-link', subject: action === 'log-in' ? 'Magic link to log in' : 'Magic link to register', link, token, at: app.now() }
}

export function activationMail(app: App, to: string, ticket: string): OutboxMessage {
  return { to, kind: 'activate-account', subject: 'Activate your account', link: `${app.url}/auth/activate?ticket=${ticket}`, token: ticket, at: app.now() }
}

export function lostPasswordMail(app: App, to: string, ticket: string): OutboxMessage {
  return { to, kind: 'lost-password', subject: 'Reset your password', token: ticket, at: app.now() }
}

export function changeEmailMail(app: App, to: string, ticket: string): OutboxMessage {
  return { to, kind: 'change-email', subject: 'Confirm your new email address', token: ticket, at: app.now() }
}
