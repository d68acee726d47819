/**
 * Emailed codes as Teable makes them: the sign-up and change-email codes travel in a JWT the client
 * holds (`{email, code}`, signed with the backend secret, 30 minutes), the code itself only in the
 * mail; a password reset mails a 30-character code kept on the server.
 */
import { jwtVerify, SignJWT } from 'jose'
import { randomDigits, randomString } from '../pocketbase/random.ts'
import { badRequest, invalidCaptcha, TeableError } from './errors.ts'
import type { TeableState } from './state.ts'

export const CODE_TTL_MS = 30 * 60_000

export async function codeToken(state: TeableState, claims: Record<string, string>): Promise<{ token: string; code: string; expiresTime: string }> {
  const code = randomDigits(4)
  const expiresAt = state.now() + CODE_TTL_MS
  const token = await new SignJWT({ ...claims, code })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(Math.floor(state.now() / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(state.jwtSecret)
  state.issued.push(token)
  return { token, code, expiresTime: new Date(expiresAt).toISOString() }
}

/** The claims of a code token, when `code` matches it and it has not expired; else 400 invalid_captcha. */
export async function checkCode(state: TeableState, token: string, code: string): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, state.jwtSecret, { currentDate: new Date(state.now()) })
    if (payload.code !== code) throw invalidCaptcha()
    return payload
  } catch {
    throw invalidCaptcha()
  }
}

export type MailKind = 'signup-verification' | 'send-reset-password-email' | 'send-change-email-code'

/**
 * The per-address mail rate, checked before an email goes out: the server holds its key 2 seconds
 * less than configured (for network latency), none at all for 2 or less. Newer servers
 * (checkSendMailRateLimit) answer 429 with data.seconds = the configured interval for every kind;
 * older ones limit only sign-up codes, with a 400 naming the configured seconds.
 */
export function checkMailRate(state: TeableState, kind: MailKind, email: string): void {
  const legacy = state.options.codeResend === 'please-wait-400'
  if (legacy && kind !== 'signup-verification') return
  const configured = state.options.codeResendSeconds ?? 30
  const hold = configured > 2 ? (configured - 2) * 1000 : 0
  const last = state.lastCodeAt.get(`${kind}:${email}`)
  if (last === undefined || state.now() - last >= hold) return
  if (legacy) throw badRequest(`Please wait ${String(configured)} seconds before requesting a new code`)
  throw new TeableError(429, 'too_many_requests', `Reached the rate limit of sending mail, please try again after ${String(configured - 2)} seconds`, { seconds: configured })
}

/** Starts the interval once the email went out. */
export function mailSent(state: TeableState, kind: MailKind, email: string): void {
  state.lastCodeAt.set(`${kind}:${email}`, state.now())
}

export function resetCode(state: TeableState, userId: string): string {
  const code = randomString(30)
  state.resetCodes.set(code, { userId, expiresAt: state.now() + CODE_TTL_MS })
  return code
}
