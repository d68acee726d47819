/**
 * More of the user object and the error answers a client sees, on the emulator and on the real
 * Supabase Auth: PUT /user `data` (merged; a name set to null removed) and what GET /user then
 * shows; updated_at and last_sign_in_at moving; when codes were sent (confirmation_sent_at, …); the
 * password answer's weak_password; addresses and numbers that are not one; the made-up answer to
 * signing up an address or number that has an account; requests missing what they need.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'
import { authCalls } from './auth-calls.ts'
import { SEND_INTERVAL_SECONDS, untilSendAllowed } from '../../main/providers/supabase/testing/server-rules.ts'
import { untilAfter } from '../../main/providers/testing/server-clock.ts'

const newPhone = (): string => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
const unique = (): string => `u${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}@example.test`
const PASSWORD = 'a-long-password'
const later = (after: unknown, before: unknown): boolean => Date.parse(String(after)) > Date.parse(String(before))

describe.each(TARGETS)('user fields and error answers on the $name', (target) => {
  const current = useTargetServer(target, { maxFrequencySeconds: SEND_INTERVAL_SECONDS })
  const { ok, send, mailCode, smsCode } = authCalls(current)

  async function emailAccount(): Promise<{ email: string; token: string; user: Record<string, unknown> }> {
    const email = unique()
    const made = await ok('POST', '/signup', { email, password: PASSWORD, data: { plan: 'free' } })
    expect(typeof made.confirmation_sent_at).toBe('string')
    const session = await ok('POST', '/verify', { type: 'signup', email, token: await mailCode(email) })
    return { email, token: String(session.access_token), user: session.user as Record<string, unknown> }
  }

  it('PUT /user data is merged into user_metadata, a name set to null is removed, and GET /user shows the same; updated_at moves, created_at does not', async () => {
    const { token, user } = await emailAccount()
    await untilAfter(user.updated_at)
    const first = await ok('PUT', '/user', { data: { full_name: 'Ada', theme: 'dark' } }, token)
    expect(first.user_metadata).toEqual({ ...(user.user_metadata as object), full_name: 'Ada', theme: 'dark' })
    expect([first.created_at, later(first.updated_at, user.updated_at)]).toEqual([user.created_at, true])
    await untilAfter(first.updated_at)
    const second = await ok('PUT', '/user', { data: { theme: null } }, token)
    expect(second.user_metadata).toEqual({ ...(user.user_metadata as object), full_name: 'Ada' })
    expect(later(second.updated_at, first.updated_at)).toBe(true)
    const me = await ok('GET', '/user', undefined, token)
    expect([me.user_metadata, me.updated_at]).toEqual([second.user_metadata, second.updated_at])
  })

  it('signing in with the password moves last_sign_in_at and updated_at, and its answer has weak_password null', async () => {
    const { email, user } = await emailAccount()
    await untilAfter(user.updated_at)
    await untilAfter(user.last_sign_in_at)
    const signedIn = await ok('POST', '/token?grant_type=password', { email, password: PASSWORD })
    expect(signedIn.weak_password).toBeNull()
    const again = signedIn.user as Record<string, unknown>
    expect([later(again.last_sign_in_at, user.last_sign_in_at), later(again.updated_at, user.updated_at)]).toEqual([true, true])
  })

  it('a requested email or phone change is dated (email_change_sent_at, phone_change_sent_at), and so is a texted sign-up (confirmation_sent_at)', async () => {
    const { token } = await emailAccount()
    expect(typeof (await ok('PUT', '/user', { email: unique() }, token)).email_change_sent_at).toBe('string')
    expect(typeof (await ok('PUT', '/user', { phone: `+${newPhone()}` }, token)).phone_change_sent_at).toBe('string')
    const phone = newPhone()
    expect(typeof (await ok('POST', '/signup', { phone: `+${phone}`, password: PASSWORD })).confirmation_sent_at).toBe('string')
  })

  it('each texted sign-in moves phone_confirmed_at and confirmation_sent_at; the identity keeps the last_sign_in_at it was made with', async () => {
    const phone = newPhone()
    await ok('POST', '/otp', { phone: `+${phone}` })
    const sent = Date.now()
    const first = (await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone) })).user as Record<string, unknown>
    // One text a second to a number (GOTRUE_SMS_MAX_FREQUENCY here).
    await untilSendAllowed(sent)
    await ok('POST', '/otp', { phone: `+${phone}` })
    const second = (await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone, 1) })).user as Record<string, unknown>
    expect([later(second.phone_confirmed_at, first.phone_confirmed_at), later(second.confirmation_sent_at, first.confirmation_sent_at)]).toEqual([true, true])
    const identity = (user: Record<string, unknown>): unknown => (user.identities as { last_sign_in_at: unknown }[])[0]?.last_sign_in_at
    expect(identity(second)).toBe(identity(first))
  })

  it('an emailed sign-in link and a reset are dated recovery_sent_at, a reauthentication code reauthentication_sent_at; confirmation_sent_at stays', async () => {
    const { email, token, user } = await emailAccount()
    await ok('POST', '/otp', { email })
    const sent = Date.now()
    const linked = await ok('GET', '/user', undefined, token)
    expect([typeof linked.recovery_sent_at, linked.confirmation_sent_at]).toEqual(['string', user.confirmation_sent_at])
    // One sign-in link or reset email a second to an address (GOTRUE_SMTP_MAX_FREQUENCY here).
    await untilSendAllowed(sent)
    await ok('POST', '/recover', { email })
    await ok('GET', '/reauthenticate', undefined, token)
    const after = await ok('GET', '/user', undefined, token)
    expect([later(after.recovery_sent_at, linked.recovery_sent_at), typeof after.reauthentication_sent_at]).toEqual([true, 'string'])
  })

  it('an address or number that is not one is refused before anything is sent, on a change as on a sign-up; the format is all that is checked', async () => {
    const { token } = await emailAccount()
    const mails = current().mails().length
    expect(await send('PUT', '/user', { email: 'not-an-address' }, token)).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Unable to validate email address: invalid format' } })
    expect(await send('PUT', '/user', { phone: '+12ab' }, token)).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Invalid phone number format (E.164 required)' } })
    expect(current().mails().length).toBe(mails)
    expect((await ok('GET', '/user', undefined, token)).new_email).toBeUndefined()
    expect(await send('POST', '/signup', { email: 'not an address', password: PASSWORD })).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Unable to validate email address: invalid format' } })
    expect(await send('POST', '/signup', { phone: '+0155501234', password: PASSWORD })).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Invalid phone number format (E.164 required)' } })
    // The format is all the server checks: an address without a dot in its domain is taken.
    expect((await send('POST', '/signup', { email: `d${String(Date.now())}@localhost`, password: PASSWORD })).status).toBe(200)
  })

  it('signing up an address or number that has a confirmed account answers a made-up user that does not tell', async () => {
    const { email, user } = await emailAccount()
    const answer = await ok('POST', '/signup', { email, password: PASSWORD, data: { plan: 'other' } })
    expect(answer.id).not.toBe(user.id)
    expect([answer.email, answer.phone, answer.role, answer.identities, answer.user_metadata, answer.app_metadata]).toEqual([email, '', '', [], { plan: 'other' }, { provider: 'email', providers: ['email'] }])
    expect([answer.email_confirmed_at, answer.confirmed_at, answer.last_sign_in_at, typeof answer.confirmation_sent_at]).toEqual([undefined, undefined, undefined, 'string'])
    const phone = newPhone()
    await ok('POST', '/signup', { phone: `+${phone}`, password: PASSWORD })
    await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone) })
    const byPhone = await ok('POST', '/signup', { phone: `+${phone}`, password: PASSWORD })
    expect([byPhone.email, byPhone.phone, byPhone.role, byPhone.phone_confirmed_at, byPhone.app_metadata]).toEqual(['', phone, '', undefined, { provider: 'phone', providers: ['phone'] }])
  })

  it('a reset without an address, and a code of a type the server does not have, are refused', async () => {
    expect(await send('POST', '/recover', {})).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'Password recovery requires an email' } })
    const { email } = await emailAccount()
    expect(await send('POST', '/verify', { type: 'nonsense', email, token: '123456' })).toEqual({ status: 403, body: { code: 403, error_code: 'otp_expired', msg: 'Token has expired or is invalid' } })
  })
})
