/**
 * The official authing-js-sdk (4.x, the v2 GraphQL/REST client) against the emulator: an
 * independent check that the emulator speaks Authing's protocol as the vendor's own client expects
 * it (documents, envelopes, the password key from .well-known, error shapes).
 */
import { AuthenticationClient } from 'authing-js-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_TOTP_SECRET } from './demo-users.ts'
import { startAuthingEmulator } from './server.ts'
import type { AuthingEmulator } from './server.ts'

let emulator: AuthingEmulator
let offset = 0

beforeAll(async () => {
  emulator = await startAuthingEmulator({
    now: () => Date.now() + offset,
    users: [
      { id: 'u-ada', email: 'ada@example.test', username: 'ada', phone: '13800000001', password: 'lovelace-1815', name: 'Ada Lovelace' },
      { id: 'u-grace', email: 'grace@example.test', password: 'cobol-1959', totpSecret: DEMO_TOTP_SECRET },
      { id: 'u-new', email: 'newcomer@example.test', password: 'given-by-admin-1', mustResetPassword: 'first-login' },
      { id: 'u-old', email: 'rotated@example.test', password: 'ninety-days-old', mustResetPassword: 'rotation' },
    ],
    udfs: [
      { key: 'school', label: 'School', dataType: 'STRING' },
      { key: 'age', label: 'Age', dataType: 'NUMBER' },
    ],
    methods: { verifyCodeMethods: ['phone-code', 'email-code'] },
  })
})

afterAll(async () => {
  await emulator.stop()
})

function client(token?: string): AuthenticationClient {
  const sdk = new AuthenticationClient({ appId: emulator.appId, appHost: emulator.url, lang: 'en-US' })
  if (token !== undefined) sdk.setToken(token)
  return sdk
}

async function failure(call: Promise<unknown>): Promise<{ code: number; message: string; data?: Record<string, unknown> }> {
  try {
    await call
  } catch (error) {
    if (error instanceof Error) return JSON.parse(error.message) as { code: number; message: string }
    return error as { code: number; message: string }
  }
  throw new Error('expected the SDK call to fail')
}

describe('authing-js-sdk against the emulator', () => {
  it('logs in by email with the password encrypted with the key from .well-known, and the token checks out', async () => {
    const sdk = client()
    const user = await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    expect(user.id).toBe('u-ada')
    expect(user.token).toMatch(/^ey/)
    const lifetime = Date.parse(user.tokenExpiredAt ?? '') - Date.now()
    expect(lifetime).toBeGreaterThan(13.9 * 86_400_000)
    const status = await sdk.checkLoginStatus(user.token ?? '')
    expect(status).toMatchObject({ status: true, code: 200, data: { id: 'u-ada' } })
    expect(emulator.requests().some((request) => request.path === '/api/v2/.well-known')).toBe(true)
  })

  it('logs in by username and by phone + password', async () => {
    expect((await client().loginByUsername('ada', 'lovelace-1815')).email).toBe('ada@example.test')
    expect((await client().loginByPhonePassword('13800000001', 'lovelace-1815')).username).toBe('ada')
  })

  it('reads business errors from errors[].message = {code, message}', async () => {
    expect((await failure(client().loginByEmail('ada@example.test', 'wrong-password'))).code).toBe(2333)
    expect((await failure(client().loginByEmail('nobody@example.test', 'whatever-1'))).code).toBe(2004)
  })

  it('gets 1635 with an mfaToken for a TOTP user, then verifies the code at /api/v2/mfa/totp/verify', async () => {
    const sdk = client()
    const error = await failure(sdk.loginByEmail('grace@example.test', 'cobol-1959'))
    expect(error.code).toBe(1635)
    const mfaToken = String(error.data?.mfaToken)
    expect((await failure(sdk.mfa.verifyTotpMfa({ totp: '000000', mfaToken }))).code).toBe(6001)
    const user = await sdk.mfa.verifyTotpMfa({ totp: emulator.totp('grace@example.test'), mfaToken })
    expect(user.token).toMatch(/^ey/)
  })

  it('gives a recovery code at enrolment that verifyTotpRecoveryCode takes once instead of the authenticator code', async () => {
    const sdk = client()
    await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    const association = await sdk.mfa.assosicateMfaAuthenticator({ authenticatorType: 'totp', source: 'SELF' } as never)
    expect(association.recovery_code).not.toBe('')
    const { TOTP, Secret } = await import('otpauth')
    await sdk.mfa.confirmAssosicateMfaAuthenticator({ authenticatorType: 'totp', totp: new TOTP({ secret: Secret.fromBase32(association.secret) }).generate(), source: 'SELF' } as never)
    try {
      const mfaToken = String((await failure(client().loginByEmail('ada@example.test', 'lovelace-1815'))).data?.mfaToken)
      expect((await failure(sdk.mfa.verifyTotpRecoveryCode({ recoveryCode: 'not-it', mfaToken }))).code).toBe(6001)
      expect((await sdk.mfa.verifyTotpRecoveryCode({ recoveryCode: association.recovery_code, mfaToken })).id).toBe('u-ada')
      const next = String((await failure(client().loginByEmail('ada@example.test', 'lovelace-1815'))).data?.mfaToken)
      expect((await failure(sdk.mfa.verifyTotpRecoveryCode({ recoveryCode: association.recovery_code, mfaToken: next }))).code).toBe(6001)
    } finally {
      await sdk.mfa.deleteMfaAuthenticator()
    }
  })

  it('asks for a new password first: 1639 with a token for resetPasswordByFirstLoginToken, 2058 for resetPasswordByForceResetToken', async () => {
    const first = await failure(client().loginByEmail('newcomer@example.test', 'given-by-admin-1'))
    expect(first.code).toBe(1639)
    expect(await client().resetPasswordByFirstLoginToken({ token: String(first.data?.token), password: 'own-pass-1' })).toMatchObject({ code: 200 })
    expect((await client().loginByEmail('newcomer@example.test', 'own-pass-1')).id).toBe('u-new')
    const rotation = await failure(client().loginByEmail('rotated@example.test', 'ninety-days-old'))
    expect(rotation.code).toBe(2058)
    const token = String(rotation.data?.token)
    expect((await failure(client().resetPasswordByForceResetToken({ token, oldPassword: 'not-it-1', newPassword: 'fresh-pass-2' }))).code).toBe(2203)
    await client().resetPasswordByForceResetToken({ token, oldPassword: 'ninety-days-old', newPassword: 'fresh-pass-2' })
    expect((await client().loginByEmail('rotated@example.test', 'fresh-pass-2')).id).toBe('u-old')
  })

  it('refuses a used-up or expired mfaToken with 2021, the code Guard answers by going back to the login form', async () => {
    const sdk = client()
    const mfaToken = String((await failure(sdk.loginByEmail('grace@example.test', 'cobol-1959'))).data?.mfaToken)
    await sdk.mfa.verifyTotpMfa({ totp: emulator.totp('grace@example.test'), mfaToken })
    expect((await failure(sdk.mfa.verifyTotpMfa({ totp: emulator.totp('grace@example.test'), mfaToken }))).code).toBe(2021)
    const stale = String((await failure(sdk.loginByEmail('grace@example.test', 'cobol-1959'))).data?.mfaToken)
    offset += 11 * 60_000
    try {
      expect((await failure(sdk.mfa.verifyTotpMfa({ totp: emulator.totp('grace@example.test'), mfaToken: stale }))).code).toBe(2021)
    } finally {
      offset = 0
    }
  })

  it('renews the token with refreshToken while it is valid, not after it expired', async () => {
    const sdk = client()
    const user = await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    offset += 1000
    const renewed = await sdk.refreshToken()
    expect(renewed.token).not.toBe(user.token)
    expect(renewed.exp).toBeGreaterThan(Math.floor(Date.now() / 1000))
    offset += 15 * 86_400_000
    expect((await failure(client(renewed.token ?? '').refreshToken())).code).toBe(2206)
    const status = await client().checkLoginStatus(renewed.token ?? '')
    expect(status.status).toBe(false)
    offset = 0
  })

  it('logs out: the token stops working', async () => {
    const sdk = client()
    const user = await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    await sdk.logout()
    expect((await client().checkLoginStatus(user.token ?? '')).status).toBe(false)
    expect((await failure(client(user.token ?? '').refreshToken())).code).toBe(2020)
  })

  it('sends an SMS code (once per interval) and logs in with it', async () => {
    const sdk = client()
    await sdk.sendSmsCode('13800000001')
    expect((await failure(sdk.sendSmsCode('13800000001'))).message).toMatch(/\d+/)
    const code = emulator.outbox.last('13800000001')?.code ?? ''
    expect((await failure(sdk.loginByPhoneCode('13800000001', code === '0000' ? '1111' : '0000'))).code).toBe(2001)
    const user = await sdk.loginByPhoneCode('13800000001', code)
    expect(user.id).toBe('u-ada')
  })

  it('logs in with an emailed code', async () => {
    const sdk = client()
    await sdk.sendEmail('ada@example.test', 'LOGIN_VERIFY_CODE' as never)
    const user = await sdk.loginByEmailCode('ada@example.test', emulator.outbox.last('ada@example.test')?.code ?? '')
    expect(user.id).toBe('u-ada')
  })

  it('registers by email and by username, checks existence and password strength', async () => {
    const sdk = client()
    expect(await sdk.isUserExists({ email: 'ada@example.test' })).toBe(true)
    expect(await sdk.isUserExists({ username: 'newbie' })).toBe(false)
    expect((await sdk.checkPasswordStrength('123')).valid).toBe(false)
    const user = await sdk.registerByEmail('new@example.test', 'fresh-pass-1', { nickname: 'New' }, { generateToken: true })
    expect(user.token).toMatch(/^ey/)
    expect(user.nickname).toBe('New')
    expect((await failure(client().registerByEmail('new@example.test', 'fresh-pass-1'))).code).toBe(2026)
    expect((await client().registerByUsername('newbie', 'fresh-pass-1')).username).toBe('newbie')
  })

  it('updates the profile and the password, reads the current user', async () => {
    const sdk = client()
    await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    expect((await sdk.updateProfile({ nickname: 'Countess', company: 'Analytical Engines' })).nickname).toBe('Countess')
    expect((await sdk.getCurrentUser())?.company).toBe('Analytical Engines')
    expect((await failure(sdk.updatePassword('new-pass-1', 'wrong-old'))).code).toBe(2203)
    await sdk.updatePassword('new-pass-1', 'lovelace-1815')
    await client().loginByEmail('ada@example.test', 'new-pass-1')
    await sdk.updatePassword('lovelace-1815', 'new-pass-1')
  })

  it('sets, lists and removes user-defined values with their types', async () => {
    const sdk = client()
    await sdk.loginByEmail('ada@example.test', 'lovelace-1815')
    await sdk.setUdv('school', 'Home')
    await sdk.setUdv('age', 36)
    // listUdv is the seed doc's method (deprecated in the SDK in favour of getUdfValue, same query).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const list = await sdk.listUdv()
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'age', value: 36 }), expect.objectContaining({ key: 'school', value: 'Home' })]))
    expect((await failure(sdk.setUdv('age', 'old'))).code).toBe(2231)
    expect((await sdk.removeUdv('age')).map((item) => item.key)).toEqual(['school'])
  })

  it('binds and unbinds a phone, and changes the email with codes', async () => {
    const sdk = client()
    await sdk.loginByEmail('new@example.test', 'fresh-pass-1')
    await sdk.sendSmsCode('13900000009')
    const phone = await sdk.bindPhone('13900000009', emulator.outbox.last('13900000009')?.code ?? '')
    expect(phone.phone).toBe('13900000009')
    expect((await sdk.unbindPhone()).phone).toBeNull()
    await sdk.sendEmail('renamed@example.test', 'CHANGE_EMAIL' as never)
    const renamed = await sdk.updateEmail('renamed@example.test', emulator.outbox.last('renamed@example.test')?.code ?? '')
    expect(renamed.email).toBe('renamed@example.test')
  })

  it('resets a password with an emailed code', async () => {
    const sdk = client()
    await sdk.sendEmail('renamed@example.test', 'RESET_PASSWORD' as never)
    await sdk.resetPasswordByEmailCode('renamed@example.test', emulator.outbox.last('renamed@example.test')?.code ?? '', 'reset-pass-1')
    expect((await client().loginByEmail('renamed@example.test', 'reset-pass-1')).email).toBe('renamed@example.test')
  })
})

describe('authing-js-sdk against a user pool that verifies the old phone number and email address', () => {
  let strict: AuthingEmulator
  beforeAll(async () => {
    strict = await startAuthingEmulator({
      users: [{ id: 'u-ada', email: 'ada@example.test', username: 'ada', phone: '13800000001', password: 'lovelace-1815' }],
      verifyOld: true,
      resendSeconds: 0,
    })
  })
  afterAll(() => strict.stop())

  function signedIn(): Promise<AuthenticationClient> {
    const sdk = new AuthenticationClient({ appId: strict.appId, appHost: strict.url, lang: 'en-US' })
    return sdk.loginByEmail('ada@example.test', 'lovelace-1815').then(() => sdk)
  }
  const last = (to: string): string => strict.outbox.last(to)?.code ?? ''

  it('changes the phone number only with a code sent to the old one too', async () => {
    const sdk = await signedIn()
    expect((await failure(sdk.updatePhone('13800000001', '0000'))).code).toBe(2230)
    await sdk.sendSmsCode('13900000077')
    expect((await failure(sdk.updatePhone('13900000077', last('13900000077')))).code).toBe(2231)
    expect((await failure(sdk.updatePhone('13900000077', last('13900000077'), '13800000009', '0000'))).code).toBe(2038)
    await sdk.sendSmsCode('13800000001')
    const changed = await sdk.updatePhone('13900000077', last('13900000077'), '13800000001', last('13800000001'))
    expect(changed.phone).toBe('13900000077')
    expect(strict.user('ada@example.test')).toMatchObject({ phone: '13900000077' })
  })

  it('changes the email address only with a code sent to the old one too', async () => {
    const sdk = await signedIn()
    expect((await failure(sdk.updateEmail('Ada@Example.test', '0000'))).code).toBe(2229)
    await sdk.sendEmail('lovelace@example.test', 'CHANGE_EMAIL' as never)
    expect((await failure(sdk.updateEmail('lovelace@example.test', last('lovelace@example.test')))).code).toBe(2227)
    expect((await failure(sdk.updateEmail('lovelace@example.test', last('lovelace@example.test'), 'someone@example.test', '0000'))).code).toBe(2037)
    await sdk.sendEmail('ada@example.test', 'CHANGE_EMAIL' as never)
    const changed = await sdk.updateEmail('lovelace@example.test', last('lovelace@example.test'), 'ADA@example.test', last('ada@example.test'))
    expect(changed.email).toBe('lovelace@example.test')
  })
})

describe('authing-js-sdk against an app that asks every login for its own second step', () => {
  let guarded: AuthingEmulator
  beforeAll(async () => {
    guarded = await startAuthingEmulator({
      users: [
        { id: 'u-ada', email: 'ada@example.test', phone: '13800000001', password: 'lovelace-1815' },
        { id: 'u-grace', email: 'grace@example.test', password: 'cobol-1959', totpSecret: DEMO_TOTP_SECRET },
      ],
      appMfa: ['OTP', 'SMS', 'EMAIL'],
    })
  })
  afterAll(() => guarded.stop())

  const sdk = (): AuthenticationClient => new AuthenticationClient({ appId: guarded.appId, appHost: guarded.url, lang: 'en-US' })

  it('answers 1636 with the mfaToken and the policies, then takes a texted code at /api/v2/applications/mfa/sms/verify', async () => {
    const client = sdk()
    const error = await failure(client.loginByEmail('ada@example.test', 'lovelace-1815'))
    expect(error.code).toBe(1636)
    expect(error.data).toMatchObject({ totpMfaEnabled: false, mfaPhone: '13800000001', mfaEmail: 'ada@example.test' })
    expect((error.data?.applicationMfa as { mfaPolicy: string }[]).map((policy) => policy.mfaPolicy)).toEqual(['OTP', 'SMS', 'EMAIL'])
    const mfaToken = String(error.data?.mfaToken)
    await client.sendSmsCode('13800000001', undefined, 'mfa-verify' as never)
    expect(guarded.outbox.last('13800000001')?.scene).toBe('mfa-verify')
    const code = guarded.outbox.last('13800000001')?.code ?? ''
    expect((await failure(client.mfa.verifyAppSmsMfa({ phone: '13800000001', code: code === '0000' ? '1111' : '0000', mfaToken }))).code).toBe(2001)
    const user = await client.mfa.verifyAppSmsMfa({ phone: '13800000001', code, mfaToken })
    expect(user.token).toMatch(/^ey/)
  })

  it('takes an emailed code at /api/v2/applications/mfa/email/verify, and an authenticator code from a user who has one', async () => {
    const client = sdk()
    const mfaToken = String((await failure(client.loginByEmail('ada@example.test', 'lovelace-1815'))).data?.mfaToken)
    await client.sendEmail('ada@example.test', 'MFA_VERIFY_CODE' as never)
    const user = await client.mfa.verifyAppEmailMfa({ email: 'ada@example.test', code: guarded.outbox.last('ada@example.test')?.code ?? '', mfaToken })
    expect(user.token).toMatch(/^ey/)
    const grace = await failure(client.loginByEmail('grace@example.test', 'cobol-1959'))
    expect(grace).toMatchObject({ code: 1636, data: { totpMfaEnabled: true } })
    const verified = await client.mfa.verifyTotpMfa({ totp: guarded.totp('grace@example.test'), mfaToken: String(grace.data?.mfaToken) })
    expect(verified.id).toBe('u-grace')
  })
})
