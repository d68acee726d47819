import { describe, expect, it } from 'vitest'
import { ADA, emulatorPerTest, failure, raw, ROOT, sdk } from './test-support.ts'

const start = emulatorPerTest()
const TOO_MANY = { status: 429, message: 'Too Many Requests.', data: {} }

describe('the settings rate limiter (off unless rules are given)', () => {
  it('refuses a collection route over its rule with the generic 429, per route, until the window passes', async () => {
    const { emulator, clock } = await start({ rateLimits: [{ label: 'users:auth', maxRequests: 1, duration: 3 }] })
    const users = sdk(emulator).collection('users')
    expect((await failure(users.authWithPassword(ADA.email, 'wrong-password'))).status).toBe(400)
    // Over the rule, even the right password is refused before it is checked.
    const refused = await failure(users.authWithPassword(ADA.email, ADA.password))
    expect(refused.status).toBe(429)
    expect(refused.response).toEqual(TOO_MANY)
    // Another route with the same tag has its own window; untagged routes are not limited.
    const otp = await users.requestOTP(ADA.email)
    expect((await raw(emulator, 'POST', '/api/collections/users/auth-with-otp', { json: { otpId: otp.otpId, password: '00000000' } })).status).toBe(400)
    expect((await raw(emulator, 'POST', '/api/collections/users/auth-with-otp', { json: { otpId: otp.otpId, password: '00000000' } })).body).toEqual(TOO_MANY)
    await users.listAuthMethods()
    await users.listAuthMethods()
    clock.advance(3)
    expect((await users.authWithPassword(ADA.email, ADA.password)).record.email).toBe(ADA.email)
  })

  it('matches the collection tag first, then the wildcard, then the path (a rule ending in / by prefix)', async () => {
    const { emulator } = await start({
      rateLimits: [
        { label: '/api/', maxRequests: 1, duration: 60 },
        { label: '*:requestOTP', maxRequests: 2, duration: 60 },
      ],
    })
    const users = sdk(emulator).collection('users')
    await users.requestOTP(ADA.email)
    await users.requestOTP(ADA.email)
    expect((await failure(users.requestOTP(ADA.email))).response).toEqual(TOO_MANY)
    await users.listAuthMethods()
    expect((await failure(users.listAuthMethods())).response).toEqual(TOO_MANY)
  })

  it('is off without rules, and never limits a superuser', async () => {
    const { emulator } = await start()
    const users = sdk(emulator).collection('users')
    for (let attempt = 0; attempt < 5; attempt++) expect((await failure(users.authWithPassword(ADA.email, 'wrong-password'))).status).toBe(400)
    await emulator.stop()
    const { emulator: limited } = await start({ rateLimits: [{ label: '*:authRefresh', maxRequests: 1, duration: 60 }] })
    const root = sdk(limited)
    await root.collection('_superusers').authWithPassword(ROOT.email, ROOT.password)
    await root.collection('_superusers').authRefresh()
    await root.collection('_superusers').authRefresh()
    const user = sdk(limited)
    await user.collection('users').authWithPassword(ADA.email, ADA.password)
    await user.collection('users').authRefresh()
    expect((await failure(user.collection('users').authRefresh())).response).toEqual(TOO_MANY)
  })
})
