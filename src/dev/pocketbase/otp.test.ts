import { describe, expect, it } from 'vitest'
import type { PocketBaseEmulator } from './server.ts'
import { ADA, failure, raw, sdk, emulatorPerTest } from './test-support.ts'

const start = emulatorPerTest()

const USERS = '/api/collections/users'
const INVALID = { status: 400, message: 'Invalid or expired OTP.', data: {} }
const TOO_MANY = { status: 429, message: 'Too many attempts, please try again later with a new OTP.', data: {} }

async function requestCode(emulator: PocketBaseEmulator, email: string): Promise<{ otpId: string; code: string }> {
  const { otpId } = await sdk(emulator).collection('users').requestOTP(email)
  return { otpId, code: emulator.outbox.last(email, 'otp')?.otp ?? '' }
}

function tryCode(emulator: PocketBaseEmulator, otpId: string, password: string) {
  return raw(emulator, 'POST', `${USERS}/auth-with-otp`, { json: { otpId, password } })
}

describe('request-otp', () => {
  it('mails an 8-digit code and answers its id', async () => {
    const { emulator, clock } = await start()
    const { otpId, code } = await requestCode(emulator, ADA.email)
    expect(otpId).toMatch(/^[a-z0-9]{15}$/)
    expect(code).toMatch(/^\d{8}$/)
    expect(emulator.outbox.last(ADA.email, 'otp')).toMatchObject({ to: ADA.email, subject: 'OTP for PocketBase', at: clock.now() })
    expect(emulator.outbox.last(ADA.email, 'otp')?.text).toContain(code)
  })

  it('answers an unknown email with a random otpId and mails nothing', async () => {
    const { emulator } = await start()
    const first = await sdk(emulator).collection('users').requestOTP('nobody@example.test')
    const second = await sdk(emulator).collection('users').requestOTP('nobody@example.test')
    expect(first.otpId).toMatch(/^[a-z0-9]{15}$/)
    expect(second.otpId).not.toBe(first.otpId)
    expect(emulator.outbox.messages()).toEqual([])
    expect((await tryCode(emulator, first.otpId, '12345678')).body).toEqual(INVALID)
  })

  it('reuses the newest code once a record has 10 live ones', async () => {
    const { emulator } = await start()
    const ids: string[] = []
    for (let index = 0; index < 11; index++) ids.push((await requestCode(emulator, ADA.email)).otpId)
    expect(new Set(ids.slice(0, 10)).size).toBe(10)
    expect(ids[10]).toBe(ids[9])
    expect(emulator.outbox.messages().filter((message) => message.kind === 'otp')).toHaveLength(10)
  })

  it('honours the configured length, validates the email, and answers 403 when OTP is off', async () => {
    const { emulator } = await start({ otpLength: 6 })
    expect((await requestCode(emulator, ADA.email)).code).toMatch(/^\d{6}$/)
    expect((await raw(emulator, 'POST', `${USERS}/request-otp`, { json: { email: 'not-an-email' } })).body).toEqual({
      status: 400,
      message: 'An error occurred while validating the submitted data.',
      data: { email: { code: 'validation_is_email', message: 'Must be a valid email address.' } },
    })
    await emulator.stop()
    const { emulator: off } = await start({ methods: { otp: false } })
    const refused = { status: 403, message: 'The collection is not configured to allow OTP authentication.', data: {} }
    expect((await raw(off, 'POST', `${USERS}/request-otp`, { json: { email: ADA.email } })).body).toEqual(refused)
    expect((await tryCode(off, 'abc', '123')).body).toEqual(refused)
  })
})

describe('auth-with-otp', () => {
  it('signs in with the mailed code, once', async () => {
    const { emulator } = await start()
    const { otpId, code } = await requestCode(emulator, ADA.email)
    const { token, record } = await sdk(emulator).collection('users').authWithOTP(otpId, code)
    expect(record.email).toBe(ADA.email)
    expect(emulator.issuedTokens()).toEqual([token])
    expect((await tryCode(emulator, otpId, code)).body).toEqual(INVALID)
  })

  it('expires the code after the OTP duration', async () => {
    const { emulator, clock } = await start()
    const { otpId, code } = await requestCode(emulator, ADA.email)
    clock.advance(180)
    expect((await tryCode(emulator, otpId, code)).body).toEqual(INVALID)
  })

  it('answers 429 after 5 tries even for the right code, counting per record, until the window passes', async () => {
    const { emulator, clock } = await start({ otpDurationSeconds: 3600 })
    const { otpId, code } = await requestCode(emulator, ADA.email)
    for (let attempt = 0; attempt < 5; attempt++) expect((await tryCode(emulator, otpId, '00000000')).body).toEqual(INVALID)
    expect((await tryCode(emulator, otpId, code)).body).toEqual(TOO_MANY)
    // A new code does not help: the limit is on the record (and the client IP).
    const fresh = await requestCode(emulator, ADA.email)
    expect((await tryCode(emulator, fresh.otpId, fresh.code)).body).toEqual(TOO_MANY)
    clock.advance(179)
    expect((await tryCode(emulator, otpId, code)).status).toBe(429)
    clock.advance(1)
    expect((await tryCode(emulator, otpId, code)).status).toBe(200)
  })

  it('does not count unknown or expired otpIds against the limit', async () => {
    const { emulator, clock } = await start()
    const stale = await requestCode(emulator, ADA.email)
    clock.advance(180)
    for (let attempt = 0; attempt < 6; attempt++) {
      expect((await tryCode(emulator, 'unknownotpid000', '00000000')).body).toEqual(INVALID)
      expect((await tryCode(emulator, stale.otpId, stale.code)).body).toEqual(INVALID)
    }
    const { otpId, code } = await requestCode(emulator, ADA.email)
    expect((await tryCode(emulator, otpId, code)).status).toBe(200)
  })

  it('dies with a tokenKey change (a password set elsewhere)', async () => {
    const { emulator } = await start()
    const { otpId, code } = await requestCode(emulator, ADA.email)
    emulator.setPassword('users', ADA.email, 'changed-elsewhere')
    expect((await tryCode(emulator, otpId, code)).body).toEqual(INVALID)
  })

  it('verifies the email; PocketBase then replaces the password of the unverified account, BosBase does not', async () => {
    const newcomer = { email: 'new@example.test', password: 'pre-registered', verified: false }
    for (const mode of ['pocketbase', 'bosbase'] as const) {
      const { emulator } = await start({ mode, users: [newcomer] })
      const { otpId, code } = await requestCode(emulator, newcomer.email)
      const { record } = await sdk(emulator).collection('users').authWithOTP(otpId, code)
      expect(record.verified).toBe(true)
      expect(emulator.user('users', newcomer.email)).toMatchObject({ verified: true })
      const withOldPassword = sdk(emulator).collection('users').authWithPassword(newcomer.email, newcomer.password)
      if (mode === 'pocketbase') expect((await failure(withOldPassword)).status).toBe(400)
      else expect((await withOldPassword).record.email).toBe(newcomer.email)
      await emulator.stop()
    }
  })

  it('keeps the password of an unverified account when MFA applies to it', async () => {
    const newcomer = { email: 'new@example.test', password: 'pre-registered', verified: false, mfa: true }
    const { emulator } = await start({ users: [newcomer] })
    const users = sdk(emulator).collection('users')
    const { otpId, code } = await requestCode(emulator, newcomer.email)
    const { mfaId } = (await failure(users.authWithOTP(otpId, code))).response as { mfaId: string }
    expect(emulator.user('users', newcomer.email)).toMatchObject({ verified: true })
    const { record } = await users.authWithPassword(newcomer.email, newcomer.password, { query: { mfaId } })
    expect(record.verified).toBe(true)
  })
})
