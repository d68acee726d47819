/**
 * The user object a client sees while an account changes its email address (with and without
 * secure double confirmation) or its phone number, or adds the one it did not have, on the emulator
 * and on the real Supabase Auth: new_email / new_phone while pending; each code tied to the address
 * it was sent to and spent once used (not the first one of a change asked with a PKCE challenge);
 * the identity that gets the new address or number (a new one,
 * verified, after the others, when the account had none); user_metadata left as sign-up made it,
 * but for email_verified once a first address is confirmed; email_confirmed_at kept when an address
 * already confirmed is replaced.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'
import { authCalls } from './auth-calls.ts'
import { SEND_INTERVAL_SECONDS, untilSendAllowed } from '../../main/providers/supabase/testing/server-rules.ts'

type User = Record<string, unknown> & { identities: { provider: string; email?: string; identity_data: Record<string, unknown> }[] }

const newPhone = (): string => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
const unique = (tag: string): string => `${tag}${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}@example.test`
const PASSWORD = 'a-long-password'

describe.each(TARGETS)('the user object through email and phone changes on the $name', (target) => {
  const secure = useTargetServer(target, { maxFrequencySeconds: SEND_INTERVAL_SECONDS })
  const plain = useTargetServer(target, { maxFrequencySeconds: SEND_INTERVAL_SECONDS, secureEmailChange: false })
  const onSecure = authCalls(secure)
  const onPlain = authCalls(plain)

  /** A confirmed email account made by sign-up; its access token and user. */
  async function emailAccount(calls = onSecure): Promise<{ email: string; token: string; user: User }> {
    const email = unique('c')
    await calls.ok('POST', '/signup', { email, password: PASSWORD, data: { plan: 'free' } })
    const session = await calls.ok('POST', '/verify', { type: 'signup', email, token: await calls.mailCode(email) })
    return { email, token: String(session.access_token), user: session.user as User }
  }

  const mailsTo = (server: typeof secure, to: string): number => server().mails().filter((mail) => mail.to === to).length

  it('secure change: each address’s code only with that address, the first to confirm changes nothing, a used code is spent, the second finishes', async () => {
    const { ok, send, mailCode } = onSecure
    const { email, token, user: before } = await emailAccount()
    const next = unique('n')
    const pending = (await ok('PUT', '/user', { email: next }, token)) as User
    expect([pending.email, pending.new_email]).toEqual([email, next])
    const [toCurrent, toNew] = [await mailCode(email, 1), await mailCode(next)]
    const refused = { status: 403, body: { code: 403, error_code: 'otp_expired', msg: 'Token has expired or is invalid' } }
    expect(await send('POST', '/verify', { type: 'email_change', email: next, token: toCurrent })).toEqual(refused)
    expect(await send('POST', '/verify', { type: 'email_change', email, token: toCurrent })).toEqual({
      status: 200,
      body: { msg: 'Confirmation link accepted. Please proceed to confirm link sent to the other email', code: '200' },
    })
    const half = (await ok('GET', '/user', undefined, token)) as User
    expect([half.email, half.new_email, half.identities[0]?.identity_data.email]).toEqual([email, next, email])
    expect(await send('POST', '/verify', { type: 'email_change', email, token: toCurrent })).toEqual(refused)
    const done = (await ok('POST', '/verify', { type: 'email_change', email: next, token: toNew })).user as User
    const me = (await ok('GET', '/user', undefined, token)) as User
    for (const user of [done, me]) {
      expect([user.email, user.new_email, user.email_confirmed_at]).toEqual([next, undefined, before.email_confirmed_at])
      expect(user.identities).toMatchObject([{ provider: 'email', email: next, identity_data: { sub: user.id, email: next, email_verified: true, phone_verified: false, plan: 'free' } }])
      // The metadata keeps the address it was made with.
      expect(user.user_metadata).toEqual({ sub: user.id, email, email_verified: true, phone_verified: false, plan: 'free' })
    }
  })

  it('secure change asked with a PKCE challenge (as auth-js asks it): the first code accepted is not spent, and the same code again finishes the change', async () => {
    const { ok, mailCode } = onSecure
    const { token } = await emailAccount()
    const next = unique('k')
    await ok('PUT', '/user', { email: next, code_challenge: 'a'.repeat(43), code_challenge_method: 's256' }, token)
    const toNew = await mailCode(next)
    expect((await ok('POST', '/verify', { type: 'email_change', email: next, token: toNew })).msg).toBe('Confirmation link accepted. Please proceed to confirm link sent to the other email')
    const done = (await ok('POST', '/verify', { type: 'email_change', email: next, token: toNew })).user as User
    expect([done.email, done.new_email]).toEqual([next, undefined])
  })

  it('without secure change only the new address gets a code, and it alone finishes the change', async () => {
    const { ok, mailCode } = onPlain
    const { email, token } = await emailAccount(onPlain)
    const next = unique('n')
    const sentBefore = mailsTo(plain, email)
    expect(((await ok('PUT', '/user', { email: next }, token)) as User).new_email).toBe(next)
    const done = (await ok('POST', '/verify', { type: 'email_change', email: next, token: await mailCode(next) })).user as User
    expect(mailsTo(plain, email)).toBe(sentBefore)
    expect([done.email, done.new_email, done.identities.map((identity) => identity.email)]).toEqual([next, undefined, [next]])
  })

  it('a password change ends the codes sent before: the pending changes stay shown (new_email, new_phone) without their send times, their codes are refused, and codes sent again work', async () => {
    const { ok, send, mailCode, smsCode } = onSecure
    const { email, token } = await emailAccount()
    const next = unique('w')
    const phone = newPhone()
    await ok('PUT', '/user', { email: next }, token)
    const mailed = Date.now()
    await ok('PUT', '/user', { phone: `+${phone}` }, token)
    const [toNew, texted] = [await mailCode(next), await smsCode(phone)]
    const changed = (await ok('PUT', '/user', { password: `${PASSWORD}-2` }, token)) as User
    expect([changed.new_email, changed.new_phone, changed.email_change_sent_at, changed.phone_change_sent_at, changed.confirmation_sent_at]).toEqual([next, phone, undefined, undefined, undefined])
    const refused = { status: 403, body: { code: 403, error_code: 'otp_expired', msg: 'Token has expired or is invalid' } }
    expect(await send('POST', '/verify', { type: 'email_change', email: next, token: toNew })).toEqual(refused)
    expect(await send('POST', '/verify', { type: 'phone_change', phone: `+${phone}`, token: texted })).toEqual(refused)
    // One email change mail a second (GOTRUE_SMTP_MAX_FREQUENCY here).
    await untilSendAllowed(mailed)
    await ok('POST', '/resend', { type: 'email_change', email })
    await ok('POST', '/verify', { type: 'email_change', email, token: await mailCode(email, 2) })
    const done = (await ok('POST', '/verify', { type: 'email_change', email: next, token: await mailCode(next, 1) })).user as User
    expect(done.email).toBe(next)
  })

  it('a phone account adds an email address: one code, to it; an email identity, verified, after the phone one; email_verified in the metadata', async () => {
    const { ok, mailCode, smsCode } = onSecure
    const phone = newPhone()
    await ok('POST', '/signup', { phone: `+${phone}`, password: PASSWORD, data: { plan: 'free' } })
    const token = String((await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone) })).access_token)
    const email = unique('p')
    const pending = (await ok('PUT', '/user', { email }, token)) as User
    expect([pending.email, pending.new_email, pending.email_confirmed_at]).toEqual(['', email, undefined])
    const done = (await ok('POST', '/verify', { type: 'email_change', email, token: await mailCode(email) })).user as User
    expect([done.email, done.new_email, typeof done.email_confirmed_at]).toEqual([email, undefined, 'string'])
    expect(done.app_metadata).toEqual({ provider: 'phone', providers: ['phone', 'email'] })
    expect(done.identities.map((identity) => identity.provider)).toEqual(['phone', 'email'])
    expect(done.identities.map((identity) => identity.identity_data)).toEqual([
      { sub: done.id, email_verified: false, phone_verified: false, plan: 'free' },
      { sub: done.id, email, email_verified: true, phone_verified: false },
    ])
    expect(done.user_metadata).toEqual({ sub: done.id, email_verified: true, phone_verified: false, plan: 'free' })
  })

  it('a phone number added then changed: new_phone while pending, a phone identity with the number, verified, after the email one; a number taken is refused', async () => {
    const { ok, send, smsCode } = onSecure
    const { token, user: before } = await emailAccount()
    const first = newPhone()
    const pending = (await ok('PUT', '/user', { phone: `+${first}` }, token)) as User
    const texted = Date.now()
    expect([pending.phone, pending.new_phone]).toEqual(['', first])
    const added = (await ok('POST', '/verify', { type: 'phone_change', phone: `+${first}`, token: await smsCode(first) })).user as User
    expect([added.phone, added.new_phone, typeof added.phone_confirmed_at]).toEqual([first, undefined, 'string'])
    expect(added.app_metadata).toEqual({ provider: 'email', providers: ['email', 'phone'] })
    expect(added.identities.map((identity) => identity.provider)).toEqual(['email', 'phone'])
    expect(added.identities.map((identity) => identity.identity_data)).toEqual([before.identities[0]?.identity_data, { sub: added.id, phone: first, email_verified: false, phone_verified: true }])
    expect(added.user_metadata).toEqual(before.user_metadata)

    const second = newPhone()
    // One text a second to an account (GOTRUE_SMS_MAX_FREQUENCY here).
    await untilSendAllowed(texted)
    await ok('PUT', '/user', { phone: `+${second}` }, token)
    const changed = (await ok('POST', '/verify', { type: 'phone_change', phone: `+${second}`, token: await smsCode(second) })).user as User
    expect([changed.phone, changed.identities[1]?.identity_data.phone]).toEqual([second, second])

    const other = await emailAccount()
    expect(await send('PUT', '/user', { phone: `+${second}` }, other.token)).toEqual({
      status: 422,
      body: { code: 422, error_code: 'phone_exists', msg: 'A user with this phone number has already been registered' },
    })
  })
})
