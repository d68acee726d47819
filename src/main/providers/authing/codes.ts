/**
 * Sending one-time codes: by text message (REST POST /api/v2/sms/send {phone, scene}) or by email
 * (GraphQL sendEmail(email, scene)), and the resend countdown. Authing codes live 60 s and the
 * server refuses a new one for the same address inside its interval; Latchkey keeps the same
 * countdown itself so the person learns "try again in N s" without a request.
 */
import type { Clock } from '../../core/ports.ts'
import type { AuthingClient } from './client.ts'
import type { AuthingSettings } from './config.ts'
import { SEND_EMAIL } from './documents.ts'
import { authingError, rateLimited } from './errors.ts'
import type { FieldNames } from './errors.ts'

export const RESEND_INTERVAL_MS = 60_000
/** How long a code stays good (authing-js-sdk: "the SMS code is valid for 60 s"); emails say more, 60 s is safe. */
export const CODE_LIFETIME_MS = 60_000

export type CodePurpose = 'login' | 'register' | 'reset' | 'bind' | 'unbind' | 'change' | 'mfa'

const SMS_SCENE: Record<CodePurpose, string> = { login: 'login', register: 'register', reset: 'reset', bind: 'bind', unbind: 'unbind', change: 'bind', mfa: 'mfa-verify' }
const EMAIL_SCENE: Record<CodePurpose, string> = {
  login: 'LOGIN_VERIFY_CODE',
  register: 'REGISTER_VERIFY_CODE',
  reset: 'RESET_PASSWORD',
  bind: 'EMAIL_BIND_VERIFY_CODE',
  unbind: 'EMAIL_UNBIND_VERIFY_CODE',
  change: 'CHANGE_EMAIL',
  mfa: 'MFA_VERIFY_CODE',
}

/** One per provider: when a code last went to each address. */
export class CodeSender {
  readonly #sentAt = new Map<string, number>()

  /** Sends a code; returns when the next one may be sent. Throws RATE_LIMITED inside the interval. */
  async send(
    client: AuthingClient,
    settings: AuthingSettings,
    clock: Clock,
    to: { channel: 'phone' | 'email'; address: string; countryCode?: string },
    purpose: CodePurpose,
    fields: FieldNames = {},
  ): Promise<{ resendAt: number; expiresAt: number }> {
    const key = `${settings.appHost}|${to.channel}|${to.address}`
    const now = clock.now()
    const last = this.#sentAt.get(key)
    if (last !== undefined && now - last < RESEND_INTERVAL_MS) throw rateLimited(Math.ceil((last + RESEND_INTERVAL_MS - now) / 1000))
    const answer =
      to.channel === 'phone'
        ? await client.rest('POST', '/api/v2/sms/send', { phone: to.address, ...(to.countryCode === undefined ? {} : { phoneCountryCode: to.countryCode }), scene: SMS_SCENE[purpose] })
        : await client.graphql(SEND_EMAIL, { email: to.address, scene: EMAIL_SCENE[purpose] }, 'sendEmail')
    if (!answer.ok) throw authingError(answer.failure, settings.host, fields)
    this.#sentAt.set(key, now)
    return { resendAt: now + RESEND_INTERVAL_MS, expiresAt: now + CODE_LIFETIME_MS }
  }
}
