/**
 * What a new account's user_metadata holds, on the emulator and on the real Supabase Auth: the
 * server copies the email or phone identity's data (sub, the email address if any, email_verified,
 * phone_verified) into it beside the sign-up `data`, and marks email_verified once the mailed code
 * is verified; a texted code marks nothing. Clients (the seed's Python SDK among them) show these
 * fields as the person's metadata.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, useTargetServer } from '../../main/providers/supabase/test-targets.ts'
import { authCalls } from './auth-calls.ts'

describe.each(TARGETS)('a new account’s user_metadata on the $name', (target) => {
  const current = useTargetServer(target, { maxFrequencySeconds: 1 })

  const { ok, mailCode } = authCalls(current)

  const { smsCode } = authCalls(current)
  const newPhone = (): string => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`

  const unique = (): string => `m${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}@example.test`

  it('sign-up copies the email identity into it, and the code verifies the email there', async () => {
    const email = unique()
    const user = await ok('POST', '/signup', { email, password: 'a-long-password', data: { plan: 'free' } })
    expect(user.user_metadata).toEqual({ sub: user.id, email, email_verified: false, phone_verified: false, plan: 'free' })
    const session = await ok('POST', '/verify', { type: 'signup', email, token: await mailCode(email) })
    const me = await ok('GET', '/user', undefined, String(session.access_token))
    expect(me.user_metadata).toEqual({ sub: user.id, email, email_verified: true, phone_verified: false, plan: 'free' })
  })

  it('an account made by an emailed code holds the same', async () => {
    const email = unique()
    await ok('POST', '/otp', { email, data: { plan: 'trial' } })
    const session = await ok('POST', '/verify', { type: 'email', email, token: await mailCode(email) })
    const user = session.user as Record<string, unknown>
    expect(user.user_metadata).toEqual({ sub: user.id, email, email_verified: true, phone_verified: false, plan: 'trial' })
  })

  it('a phone sign-up copies the phone identity into it (no number there), and the texted code leaves it as it was', async () => {
    const phone = newPhone()
    const user = await ok('POST', '/signup', { phone: `+${phone}`, password: 'a-long-password', data: { plan: 'free' } })
    const made = { sub: user.id, email_verified: false, phone_verified: false, plan: 'free' }
    expect([user.email, user.phone, user.phone_confirmed_at, user.user_metadata]).toEqual(['', phone, undefined, made])
    expect(user.identities).toMatchObject([{ provider: 'phone', identity_data: made }])
    expect(user.app_metadata).toEqual({ provider: 'phone', providers: ['phone'] })
    const session = await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone) })
    const me = await ok('GET', '/user', undefined, String(session.access_token))
    expect(typeof me.phone_confirmed_at).toBe('string')
    expect([me.user_metadata, (me.identities as { identity_data: unknown }[])[0]?.identity_data]).toEqual([made, made])
  })

  it('an account made by a texted code holds the same', async () => {
    const phone = newPhone()
    await ok('POST', '/otp', { phone: `+${phone}`, data: { plan: 'trial' } })
    const session = await ok('POST', '/verify', { type: 'sms', phone: `+${phone}`, token: await smsCode(phone) })
    const user = session.user as Record<string, unknown>
    expect(user.user_metadata).toEqual({ sub: user.id, email_verified: false, phone_verified: false, plan: 'trial' })
  })
})
