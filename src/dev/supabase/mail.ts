/**
 * The emails GoTrue sends, with the code and the link the way a template using {{ .Token }} and
 * {{ .ConfirmationURL }} shows them. Sending honours the per-user minimum interval
 * (GOTRUE_SMTP_MAX_FREQUENCY) and the project's emails per hour (GOTRUE_RATE_LIMIT_EMAIL_SENT):
 * either is 429 over_email_send_rate_limit, the second with no time in its message.
 */
import { sendMail } from './app.ts'
import type { App } from './app.ts'
import { tooMany } from './errors.ts'
import type { Mail } from './types.ts'

const SUBJECTS: Record<Mail['kind'], string> = {
  confirmation: 'Confirm your email address',
  magiclink: 'Your sign-in link',
  recovery: 'Reset your password',
  email_change: 'Confirm your new email address',
  reauthentication: 'Your verification code',
  invite: "You've been invited",
}

/** `code`: over_sms_send_rate_limit for texts (sendPhoneConfirmation), over_email_send_rate_limit for emails. */
export function checkFrequency(app: App, key: string, code: 'over_email_send_rate_limit' | 'over_sms_send_rate_limit' = 'over_email_send_rate_limit'): void {
  const last = app.lastSent.get(key)
  const wait = app.config.maxFrequencySeconds * 1000
  if (last !== undefined && app.now() < last + wait) {
    const seconds = Math.ceil((last + wait - app.now()) / 1000)
    throw tooMany(code, `For security purposes, you can only request this after ${String(seconds)} seconds.`)
  }
  app.lastSent.set(key, app.now())
}

/** Sends one email; `link` is the /verify URL, `code` the 6-digit token. */
export function mail(app: App, to: string, kind: Mail['kind'], code: string, link: string | null): void {
  // GOTRUE_RATE_LIMIT_EMAIL_SENT: the project's emails per hour, whoever they go to.
  const lastHour = app.mails.filter((sent) => sent.at > app.now() - 3_600_000).length
  if (lastHour >= app.config.emailsPerHour) throw tooMany('over_email_send_rate_limit', 'email rate limit exceeded')
  const lines = [SUBJECTS[kind], '', `Code: ${code}`]
  if (link !== null) lines.push(`Link: ${link}`)
  sendMail(app, { to, kind, subject: kind === 'reauthentication' ? `${code} is your verification code` : SUBJECTS[kind], text: lines.join('\n') })
}

/** {API_EXTERNAL_URL}/verify?token=…&type=…&redirect_to=… (PKCE tokens carry a "pkce_" prefix). */
export function verifyLink(app: App, hash: string, type: string, redirectTo: string | null, pkce: boolean): string {
  const url = new URL(`${app.url}/verify`)
  url.searchParams.set('token', pkce ? `pkce_${hash}` : hash)
  url.searchParams.set('type', type)
  if (redirectTo !== null) url.searchParams.set('redirect_to', redirectTo)
  return url.href
}

/** IsRedirectURLValid: any loopback IP with any port; otherwise the site URL. */
export function redirectTarget(raw: string | null): string | null {
  if (raw === null || raw === '') return null
  const url = URL.parse(raw)
  if (url === null) return null
  return url.hostname === '127.0.0.1' || url.hostname === '[::1]' ? url.href : null
}
